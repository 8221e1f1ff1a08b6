import { orgRoute } from "@/server/entry/route";
import { type LiveEvent, registerStream, subscribe } from "@/server/live";

export const dynamic = "force-dynamic";

/**
 * GET /api/o/{org}/events — Server-Sent Events for the organization's members: `change` events naming what
 * changed (values, audit) and counts, never a value. A comment every 20 s keeps proxies from closing it.
 * When the server shuts down every stream ends (the browser's EventSource reconnects to another instance).
 */
export const GET = orgRoute({
  capability: "metadata:read",
  run: async ({ request, member }) => {
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
          if (event.org !== member.organizationId) return;
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
  },
});
