import "server-only";
import { type LiveEvent, registerStream, subscribe } from "./live";

/**
 * A Server-Sent Events response of the change events `accept` lets through, as `change` events without the
 * organization's id (counts and kinds, never a value). A comment every 20 s keeps proxies from closing it; when
 * the server shuts down every stream ends (the browser's EventSource reconnects to another instance).
 */
export function liveStream(request: Request, accept: (event: LiveEvent) => boolean): Response {
  const encoder = new TextEncoder();
  let cleanup = () => {};
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      let open = true;
      let unregister = () => {};
      const end = () => {
        if (!open) return;
        open = false;
        cleanup();
        try {
          controller.close();
        } catch {}
      };
      const send = (text: string) => {
        try {
          controller.enqueue(encoder.encode(text));
        } catch {
          cleanup();
        }
      };
      send("retry: 2000\n\n");
      const unsubscribe = subscribe((event: LiveEvent) => {
        if (!accept(event)) return;
        const { org: _o, ...safe } = event;
        send(`event: change\ndata: ${JSON.stringify(safe)}\n\n`);
      });
      const heartbeat = setInterval(() => send(": keep-alive\n\n"), 20_000);
      cleanup = () => {
        clearInterval(heartbeat);
        unsubscribe();
        unregister();
      };
      unregister = registerStream(end);
      request.signal.addEventListener("abort", end);
    },
    cancel() {
      cleanup();
    },
  });
  return new Response(stream, {
    headers: {
      "Content-Type": "text/event-stream; charset=utf-8",
      "Cache-Control": "no-store, no-transform",
      Connection: "keep-alive",
      "X-Accel-Buffering": "no",
    },
  });
}
