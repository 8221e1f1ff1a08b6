/**
 * The driver under the pool (postgres.js 3.4.9, patched by patches/postgres+3.4.9.patch): a connection whose
 * socket dies while a write is still buffered must connect again. Unpatched, teardown cancelled the pending
 * write without forgetting it, so the next StartupMessage was buffered behind a timer that never fires: every
 * later attempt on that connection ended in `write CONNECT_TIMEOUT` against a healthy server (porsager/postgres
 * #1193, #1214; the issue-12 restart test saw it as pages failing again every ~10 s for minutes).
 */
import net from "node:net";
import postgres from "postgres";
import { describe, expect, inject, it } from "vitest";

describe("a pooled connection whose socket died with a write pending", () => {
  it("connects again at the next query instead of timing out against a healthy server", async () => {
    const url = new URL(inject("databaseUrl"));
    const sockets: net.Socket[] = [];
    let handedOver: Promise<unknown> | undefined;
    // The driver's own sockets, so the test can cut them (`socket` is a documented option its types lack).
    const socket = () =>
      new Promise<net.Socket>((resolve, reject) => {
        const s = net.connect(Number(url.port || 5432), url.hostname);
        sockets.push(s);
        s.once("connect", () => resolve(s));
        s.once("error", reject);
      });
    const sql = postgres(url.toString(), {
      max: 2,
      connect_timeout: 3,
      onnotice: () => {},
      ...({ socket } as object),
    });
    const code = (error: { code?: string }) => error.code;
    try {
      // Two open connections.
      await Promise.all([sql`select pg_sleep(0.05)`, sql`select pg_sleep(0.05)`]);
      expect(sockets).toHaveLength(2);
      // As when the database shuts down under traffic: both sockets close in the same turn of the event loop;
      // while the first close is handled, a query is handed to the second connection (which the pool
      // still counts as open), and its bytes are buffered for a write that the second close then cancels.
      for (const socket of sockets)
        socket.once("close", () => {
          handedOver ??= sql`select 2 as two`.catch(code);
        });
      sockets[0].destroy();
      sockets[1].destroy();
      await new Promise((r) => setTimeout(r, 100));
      expect(await handedOver).toBe("CONNECTION_CLOSED");

      // The server is healthy: every connection of the pool answers again, at once.
      const started = Date.now();
      const again = await Promise.all(
        [1, 2, 3, 4].map((n) => sql`select ${n}::int as n, pg_sleep(0.05)`.catch(code)),
      );
      expect(again.map((rows) => (Array.isArray(rows) ? rows[0].n : rows))).toEqual([1, 2, 3, 4]);
      expect(Date.now() - started).toBeLessThan(2_000);
    } finally {
      await sql.end({ timeout: 1 });
    }
  });

  it("gives up on a server that closes every connection during start-up, instead of retrying forever", async () => {
    // A server that accepts and closes cleanly before answering (a proxy or pooler in front of a database
    // that is not there): unpatched, the query never settled and the driver reconnected in a busy loop.
    let accepted = 0;
    const closer = net.createServer((socket) => {
      accepted++;
      socket.end();
    });
    await new Promise<void>((resolve) => closer.listen(0, "127.0.0.1", resolve));
    const { port } = closer.address() as net.AddressInfo;
    const sql = postgres(`postgres://nobody:pw@127.0.0.1:${port}/none`, { max: 1, connect_timeout: 1 });
    try {
      const started = Date.now();
      const outcome = await Promise.race([
        sql`select 1`.catch((error: { code?: string }) => error.code),
        new Promise((r) => setTimeout(() => r("still waiting"), 8_000)),
      ]);
      expect(outcome).toBe("CONNECTION_CLOSED");
      // connect_timeout is 1 s: it gives up about then (a loaded machine adds seconds, never minutes).
      expect(Date.now() - started).toBeLessThan(6_000);
      // With a backoff between attempts, not thousands of them.
      expect(accepted).toBeLessThan(50);
    } finally {
      await sql.end({ timeout: 0 });
      closer.close();
    }
  });
});
