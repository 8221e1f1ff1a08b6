/**
 * Serves Ringbearer (used by `npm start` and `npm run dev`): Next.js behind a small Node HTTP server that
 * decides who the client is before Next sees the request. Next fills `X-Forwarded-For` only when it is
 * absent, so under plain `next start` a client-supplied header would be believed and the socket's address
 * lost. Here every request's forwarding headers are removed unless its TCP peer is a trusted proxy
 * (RINGBEARER_TRUSTED_PROXIES), and the client's address is handed to the app in a private header with a
 * token made for this process — which the app requires before believing it (lib/client-address.ts).
 * SIGTERM/SIGINT close the listener and every connection (open event streams end too, server/live.ts) and
 * exit within 5 s; so does the death of the process that started it (`npm start` killed with -9).
 */
import { randomBytes } from "node:crypto";
import { createServer } from "node:http";
import { parseTrustedProxies, prepareRequestHeaders } from "@/lib/client-address";
import { describeError } from "@/lib/errors";
import { scriptArgs, watchParent } from "./parent-watch.mts";

const dev = scriptArgs().includes("--dev");
// Until the server listens there is nothing to close: exit at once.
let stopWhenOrphaned: () => void = () => process.exit(1);
watchParent(() => {
  console.error("[ringbearer] the process that started the server exited: stopping");
  stopWhenOrphaned();
});
const port = Number(process.env.PORT ?? 3000);

let trusted: ReturnType<typeof parseTrustedProxies>;
try {
  trusted = parseTrustedProxies(process.env.RINGBEARER_TRUSTED_PROXIES);
} catch (error) {
  console.error(`[ringbearer] RINGBEARER_TRUSTED_PROXIES ${describeError(error)}`);
  process.exit(1);
}
const token = randomBytes(32).toString("base64url");
// Set before Next loads, as `next start` / `next dev` do (a static import would load it first).
Object.assign(process.env, {
  RINGBEARER_PROXY_TOKEN: token,
  NODE_ENV: process.env.NODE_ENV ?? (dev ? "development" : "production"),
});
// tsx (which loads this script) turns Node's source maps on for the whole process. Next then reads and parses
// the source map of every server chunk it preloads after listening, blocking this process's event loop (and so
// its SIGTERM handler) for twice as long. `next start` runs production without them; so does this.
if (!dev) process.setSourceMapsEnabled(false);
const { default: next } = await import("next");

const app = next({ dev, dir: process.cwd(), port });
await app.prepare();
const handle = app.getRequestHandler();
const upgrade = app.getUpgradeHandler();

const server = createServer((req, res) => {
  prepareRequestHeaders(req.headers, req.socket.remoteAddress, trusted, token);
  void handle(req, res);
});
server.on("upgrade", (req, socket, head) => {
  prepareRequestHeaders(req.headers, req.socket.remoteAddress, trusted, token);
  void upgrade(req, socket, head);
});
server.listen(port, () => {
  const proxies =
    trusted.kind === "none"
      ? "none (X-Forwarded-* headers are ignored)"
      : trusted.kind === "hops"
        ? `${trusted.hops} hop(s)`
        : trusted.entries.join(", ");
  console.log(`✓ Ready on http://localhost:${port} (trusted proxies: ${proxies})`);
});

let stopping = false;
const stop = () => {
  if (stopping) return;
  stopping = true;
  server.close();
  server.closeAllConnections();
  void app.close().finally(() => process.exit(0));
  setTimeout(() => process.exit(0), 5000).unref();
};
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
stopWhenOrphaned = stop;
