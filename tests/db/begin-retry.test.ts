/**
 * A transaction that could not begin is tried once more (db/context.ts `contextTransaction`): after a database
 * restart the pool holds connections that fail once — refused while the server is still starting (57P03), or
 * found closed — and a request must not fail for that. One that failed after it began is never repeated.
 */
import net from "node:net";
import { sql as sqlTag } from "drizzle-orm";
import { drizzle } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import { afterAll, describe, expect, inject, it } from "vitest";
import { createDb } from "@/db/client";
import { withContext } from "@/db/context";
import { isDatabaseUnavailable } from "@/db/errors";
import * as schema from "@/db/schema";
import { authorizeCredentials } from "@/server/auth/sign-in";
import { createUser } from "@/server/auth/users";
import { db, PASSWORD, unique } from "./support";

/** What PostgreSQL answers a connection while it starts up: an ErrorResponse with SQLSTATE 57P03, then close. */
function startingUp(): Buffer {
  const fields = [
    ["S", "FATAL"],
    ["V", "FATAL"],
    ["C", "57P03"],
    ["M", "the database system is starting up"],
  ]
    .map(([k, v]) => `${k}${v}\0`)
    .join("");
  const body = Buffer.from(`${fields}\0`, "utf8");
  const head = Buffer.alloc(5);
  head.write("E", 0);
  head.writeInt32BE(body.length + 4, 1);
  return Buffer.concat([head, body]);
}

const fake = net.createServer((socket) => {
  socket.once("data", () => socket.end(startingUp()));
  socket.on("error", () => {});
});
const fakeReady = new Promise<number>((resolve) =>
  fake.listen(0, "127.0.0.1", () => resolve((fake.address() as net.AddressInfo).port)),
);

afterAll(() => new Promise<void>((r) => fake.close(() => r())));

/** The app's pool over sockets of our choosing: the first `refused` connections meet a server starting up. */
async function poolWhoseFirstConnectionsAreRefused(refused: number) {
  const url = new URL(inject("databaseUrl"));
  const fakePort = await fakeReady;
  let made = 0;
  const socket = () =>
    new Promise<net.Socket>((resolve, reject) => {
      made += 1;
      const s =
        made <= refused
          ? net.connect(fakePort, "127.0.0.1")
          : net.connect(Number(url.port || 5432), url.hostname);
      s.once("connect", () => resolve(s));
      s.once("error", reject);
    });
  const client = postgres(url.toString(), {
    max: 1,
    connect_timeout: 3,
    onnotice: () => {},
    ...({ socket } as object),
  });
  return {
    database: drizzle({ client, schema, casing: "snake_case" }),
    end: () => client.end({ timeout: 1 }),
    made: () => made,
  };
}

describe("a transaction that could not begin", () => {
  it("is tried once more, and the request gets its answer", async () => {
    const pool = await poolWhoseFirstConnectionsAreRefused(1);
    try {
      let runs = 0;
      const rows = await withContext(
        { userId: "" },
        async (tx) => {
          runs += 1;
          return tx.execute<{ n: number }>(sqlTag`select 7 as n`);
        },
        pool.database as never,
      );
      expect([...rows].map((r) => r.n)).toEqual([7]);
      expect(runs).toBe(1);
      expect(pool.made()).toBe(2);
    } finally {
      await pool.end();
    }
  });

  it("is tried only once more: a database still starting is reported unavailable", async () => {
    const pool = await poolWhoseFirstConnectionsAreRefused(5);
    try {
      let runs = 0;
      const failed = await withContext(
        { userId: "" },
        async () => {
          runs += 1;
        },
        pool.database as never,
      ).catch((e: unknown) => e);
      expect(isDatabaseUnavailable(failed)).toBe(true);
      expect(runs).toBe(0);
      expect(pool.made()).toBe(2);
    } finally {
      await pool.end();
    }
  });
});

describe("a sign-in that met a database starting up", () => {
  it("is tried once more and signs the user in (its first statement is the limiter's, outside a transaction)", async () => {
    const email = `${unique("restart")}@test.example`;
    await createUser(db(), { email, name: "Restart", password: PASSWORD });
    const pool = await poolWhoseFirstConnectionsAreRefused(1);
    try {
      const answer = await authorizeCredentials(pool.database as never, { email, password: PASSWORD }, {});
      expect(answer).toMatchObject({ ok: true, user: { email } });
      expect(pool.made()).toBe(2);
    } finally {
      await pool.end();
    }
  });
});

describe("a transaction that failed after it began", () => {
  it("is not repeated: its work ran once", async () => {
    const database = createDb(inject("databaseUrl"), { max: 1 });
    const pool = { database, end: () => database.$client.end({ timeout: 1 }) };
    try {
      let runs = 0;
      const failed = await withContext(
        { userId: "" },
        async (tx) => {
          runs += 1;
          // The connection dies under the transaction (as in a restart): whether anything landed is unknown.
          await tx.execute(sqlTag`select pg_terminate_backend(pg_backend_pid())`);
        },
        pool.database as never,
      ).catch((e: unknown) => e);
      expect(isDatabaseUnavailable(failed)).toBe(true);
      expect(runs).toBe(1);
    } finally {
      await pool.end();
    }
  });
});

describe("a transaction whose connection closed under it", () => {
  it("sends nothing more: its next statement does not land in the session the pool opens next", async () => {
    const database = createDb(inject("databaseUrl"), { max: 1 });
    let release = () => {};
    const gate = new Promise<void>((r) => {
      release = r;
    });
    let stale: unknown;
    try {
      const first = withContext(
        { userId: "" },
        async (tx) => {
          await tx.execute(sqlTag`select pg_terminate_backend(pg_backend_pid())`).catch(() => {});
          // Its work goes on after the connection is gone (an await on something else), then runs a statement.
          await gate;
          stale = await tx.execute(sqlTag`select set_config('app.user_id', 'stale', false)`).then(
            () => "ran",
            (e: unknown) => e,
          );
        },
        database,
      ).catch((e: unknown) => e);
      expect(isDatabaseUnavailable(await first)).toBe(true);
      // The pool connects again for the next request, whose transaction is open when the stale statement comes.
      const seen = await withContext(
        { userId: "next-request" },
        async (tx) => {
          release();
          await new Promise((r) => setTimeout(r, 200));
          const [row] = await tx.execute<{ user: string }>(
            sqlTag`select current_setting('app.user_id') as user`,
          );
          return row.user;
        },
        database,
      );
      expect(seen).toBe("next-request");
      expect(isDatabaseUnavailable(stale)).toBe(true);
    } finally {
      await database.$client.end({ timeout: 1 });
    }
  });
});
