/**
 * A TCP relay between an app server and PostgreSQL that counts the transactions each kind of client finishes,
 * read off the wire protocol: every ReadyForQuery ('Z') with status 'I' (idle) after the first one of a
 * connection ends a transaction — an explicit one at its COMMIT or ROLLBACK, or a statement sent outside one.
 * Clients are told apart by the application_name of their startup packet (the app's pool says "ringbearer",
 * pg-boss "ringbearer-jobs"). Plain TCP only: the relay answers an SSLRequest with 'N', as a server without TLS.
 */
import { connect, createServer, type Server, type Socket } from "node:net";

const SSL_REQUEST = 80877103;

/** The application_name of a startup packet (int32 length, int32 protocol, then name\0value\0 pairs). */
function applicationName(packet: Buffer): string {
  const fields = packet.subarray(8).toString("utf8").split("\0");
  for (let i = 0; i + 1 < fields.length; i += 2) if (fields[i] === "application_name") return fields[i + 1];
  return "";
}

export type PgCounter = {
  port: number;
  /** Transactions finished so far by clients of this application_name. */
  finished: (application: string) => number;
  close: () => Promise<void>;
};

export async function startPgCounter(target: { host: string; port: number }): Promise<PgCounter> {
  const counts = new Map<string, number>();
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    sockets.add(client);
    let application: string | null = null;
    let upstream: Socket | null = null;
    let pending = Buffer.alloc(0);
    let fromServer = Buffer.alloc(0);
    let ready = 0;
    const count = (chunk: Buffer) => {
      fromServer = Buffer.concat([fromServer, chunk]);
      while (fromServer.length >= 5) {
        const length = fromServer.readInt32BE(1);
        if (fromServer.length < 1 + length) break;
        if (fromServer[0] === 0x5a /* Z */) {
          ready++;
          const status = fromServer[5];
          if (ready > 1 && status === 0x49 /* I */ && application !== null)
            counts.set(application, (counts.get(application) ?? 0) + 1);
        }
        fromServer = fromServer.subarray(1 + length);
      }
    };
    client.on("data", (chunk) => {
      if (upstream) {
        upstream.write(chunk);
        return;
      }
      pending = Buffer.concat([pending, chunk]);
      if (pending.length < 8) return;
      const length = pending.readInt32BE(0);
      if (pending.length < length) return;
      if (length === 8 && pending.readInt32BE(4) === SSL_REQUEST) {
        pending = pending.subarray(8);
        client.write("N");
        return;
      }
      application = applicationName(pending.subarray(0, length));
      upstream = connect(target.port, target.host);
      sockets.add(upstream);
      upstream.write(pending);
      upstream.on("data", (data) => {
        count(data);
        client.write(data);
      });
      upstream.on("close", () => client.destroy());
      upstream.on("error", () => client.destroy());
    });
    client.on("close", () => upstream?.destroy());
    client.on("error", () => upstream?.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  if (!address || typeof address !== "object") throw new Error("the relay has no port");
  return {
    port: address.port,
    finished: (application) => counts.get(application) ?? 0,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
