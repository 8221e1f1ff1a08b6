/**
 * The operator console's database figures (issue 17) on a real PostgreSQL: only installation operators read them
 * (an owner of an organization is not one); tables of known size, a planted unused, duplicate and invalid index,
 * a foreign key without an index and a session idle in its transaction show as PostgreSQL itself counts them; an
 * operator ends that session, logged; a monitoring URL of a superuser is refused.
 */
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { grantOperator, revokeOperator } from "@/db/operators";
import { AppError } from "@/lib/errors";
import { cancelSession, databaseOverview, indexOverview, storageOverview } from "@/server/ops/database";
import { expectDbError, makeOrg, rawSql, type TestOrg } from "./support";

const isCode = (code: string) => (e: unknown) => e instanceof AppError && e.code === code;
const probe = `ops_probe_${randomBytes(3).toString("hex")}`;
let org: TestOrg;
let operator: { userId: string; email: string };

beforeAll(async () => {
  org = await makeOrg();
  const member = await org.member("developer");
  operator = { userId: member.userId, email: member.email };
  const owner = rawSql("owner");
  try {
    expect(await grantOperator(owner, operator.email)).toBe("granted");
    expect(await grantOperator(owner, operator.email)).toBe("already");
    expect(await grantOperator(owner, "nobody@test.example")).toBe("no_user");
    // Planted as the owner: a table of known size, an index nothing uses and its duplicate, a child table whose
    // foreign key has no index.
    await owner.unsafe(`create table ${probe} (id int primary key, label text not null, parent int)`);
    await owner.unsafe(
      `insert into ${probe} select g, repeat('x', 100), null from generate_series(1, 5000) g`,
    );
    await owner.unsafe(`create index ${probe}_label on ${probe} (label)`);
    await owner.unsafe(`create index ${probe}_label_again on ${probe} (label)`);
    await owner.unsafe(
      `create table ${probe}_child (id int primary key, probe_id int references ${probe}(id))`,
    );
    await owner.unsafe(`analyze ${probe}`);
  } finally {
    await owner.end();
  }
});

afterAll(async () => {
  const owner = rawSql("owner");
  try {
    await owner.unsafe(`drop table if exists ${probe}_child, ${probe}`);
  } finally {
    await owner.end();
  }
});

describe("who reads the operator console", () => {
  it("refuses an organization's owner who is no operator, and an operator once revoked", async () => {
    await expect(databaseOverview(org.owner)).rejects.toSatisfy(isCode("forbidden"));
    await expect(storageOverview(org.owner)).rejects.toSatisfy(isCode("forbidden"));
    await expect(indexOverview(org.owner)).rejects.toSatisfy(isCode("forbidden"));
    await expect(cancelSession(org.owner, { pid: 1, terminate: false, reason: "x" })).rejects.toSatisfy(
      isCode("forbidden"),
    );
    const later = await org.member("admin");
    const owner = rawSql("owner");
    try {
      await grantOperator(owner, later.email);
      await expect(databaseOverview({ userId: later.userId })).resolves.toBeTruthy();
      expect(await revokeOperator(owner, later.email)).toBe(true);
      await expect(databaseOverview({ userId: later.userId })).rejects.toSatisfy(isCode("forbidden"));
    } finally {
      await owner.end();
    }
  });

  it("lets no app connection make itself an operator or change the operations log", async () => {
    const app = rawSql("app");
    try {
      await expectDbError(
        app.begin(async (t) => {
          await t`select set_config('app.user_id', ${org.owner.userId}, true)`;
          await t`insert into installation_operators (user_id, granted_by) values (${org.owner.userId}, 'me')`;
        }),
        /permission denied|row-level security/,
      );
      await expectDbError(
        app.begin(async (t) => {
          await t`select set_config('app.user_id', ${operator.userId}, true)`;
          await t`update ops_events set actor = 'someone else'`;
        }),
        /permission denied|append_only/,
      );
      // A non-operator reads none of the log; the operator reads the grant.
      const seen = async (userId: string) =>
        app.begin(async (t) => {
          await t`select set_config('app.user_id', ${userId}, true)`;
          return t<{ subject: string }[]>`select subject from ops_events where action = 'operator.grant'`;
        });
      expect(await seen(org.owner.userId)).toEqual([]);
      expect((await seen(operator.userId)).map((r) => r.subject)).toContain(operator.email.toLowerCase());
    } finally {
      await app.end();
    }
  });
});

describe("the database's figures", () => {
  it("reports the health of the database as PostgreSQL counts it, on the monitoring role", async () => {
    const su = rawSql("super");
    try {
      const [truth] = await su<{ bytes: string; max: number }[]>`
        select pg_database_size(current_database())::text as bytes, current_setting('max_connections')::int as max`;
      const o = await databaseOverview({ userId: operator.userId });
      expect(o.monitoring).toMatchObject({ dedicated: true, pgMonitor: true, limited: false });
      expect(o.health.maxConnections).toBe(truth.max);
      expect(Math.abs(o.health.databaseBytes - Number(truth.bytes))).toBeLessThan(1_000_000);
      expect(o.health.connections).toBeGreaterThan(0);
      expect(o.health.xidAge).toBeGreaterThan(0);
      expect(o.health.xidRatio).toBeLessThan(0.5);
      expect(Array.isArray(o.queues)).toBe(true);
    } finally {
      await su.end();
    }
  });

  it("gives a table's size, rows and indexes exactly as PostgreSQL does", async () => {
    const { tables: rows } = await storageOverview({ userId: operator.userId });
    const mine = rows.find((t) => t.table === probe);
    const su = rawSql("super");
    try {
      const [truth] = await su<{ heap: string; idx: string; total: string }[]>`
        select pg_relation_size(${probe}::regclass)::text as heap, pg_indexes_size(${probe}::regclass)::text as idx,
               pg_total_relation_size(${probe}::regclass)::text as total`;
      expect(mine).toMatchObject({
        schema: "public",
        estimatedRows: 5000,
        tableBytes: Number(truth.heap),
        indexBytes: Number(truth.idx),
        totalBytes: Number(truth.total),
      });
      expect(rows.find((t) => t.table === "environment_variable_values")).toBeTruthy();
    } finally {
      await su.end();
    }
  });

  it("names the unused, duplicate and invalid indexes and the foreign key without one", async () => {
    const owner = rawSql("owner");
    try {
      // A unique index built concurrently over duplicate values fails and is left invalid.
      await owner.unsafe(`update ${probe} set parent = 1 where id <= 2`);
      await owner
        .unsafe(`create unique index concurrently ${probe}_parent on ${probe} (parent)`)
        .catch(() => {});
      const ix = await indexOverview({ userId: operator.userId });
      expect(ix.unused.map((i) => i.index)).toEqual(
        expect.arrayContaining([`${probe}_label`, `${probe}_label_again`]),
      );
      expect(ix.unused.map((i) => i.index)).not.toContain(`${probe}_pkey`);
      expect(ix.duplicates.find((i) => i.index === `${probe}_label_again`)?.duplicateOf).toBe(
        `${probe}_label`,
      );
      expect(ix.invalid.map((i) => i.index)).toEqual([`${probe}_parent`]);
      expect(ix.unindexedForeignKeys).toContainEqual({
        table: `${probe}_child`,
        constraint: `${probe}_child_probe_id_fkey`,
        columns: ["probe_id"],
      });
      expect(ix.statements.available).toBe(false);
      await owner.unsafe(`drop index ${probe}_parent`);
      await owner.unsafe(`drop index ${probe}_label_again`);
      const after = await indexOverview({ userId: operator.userId });
      expect(after.invalid).toEqual([]);
      expect(after.duplicates.map((i) => i.index)).not.toContain(`${probe}_label_again`);
    } finally {
      await owner.end();
    }
  });

  it("shows a session idle in its transaction, and ends it for an operator, logged", async () => {
    const idle = rawSql("app");
    const log = rawSql("super");
    try {
      // One connection (max 1): the transaction opened here stays open, idle, until it is ended below.
      await idle.unsafe("begin");
      const [{ pid }] = await idle<{ pid: number }[]>`select pg_backend_pid() as pid`;
      const seen = (await databaseOverview({ userId: operator.userId })).sessions.find((s) => s.pid === pid);
      expect(seen).toMatchObject({ state: "idle in transaction" });
      expect(seen?.query).toContain("pg_backend_pid");
      await expect(cancelSession(org.owner, { pid, terminate: true, reason: "stuck" })).rejects.toSatisfy(
        isCode("forbidden"),
      );
      await cancelSession(
        { userId: operator.userId },
        { pid, terminate: true, reason: "Holding the xmin horizon since the deploy" },
      );
      // The session is gone (its open transaction with it).
      for (let i = 0; i < 50; i++) {
        const left = await log`select 1 from pg_stat_activity where pid = ${pid}`;
        if (left.length === 0) break;
        await new Promise((r) => setTimeout(r, 100));
      }
      expect(await log`select 1 from pg_stat_activity where pid = ${pid}`).toHaveLength(0);
      const [event] = await log<{ actor: string; details: { reason: string } }[]>`
        select actor, details from ops_events where action = 'session.terminate' and subject = ${String(pid)}`;
      expect(event).toMatchObject({
        actor: operator.email.toLowerCase(),
        details: { reason: "Holding the xmin horizon since the deploy" },
      });
      await expect(
        cancelSession({ userId: operator.userId }, { pid, terminate: true, reason: "again" }),
      ).rejects.toSatisfy(isCode("not_found"));
    } finally {
      await idle.end({ timeout: 1 }).catch(() => {});
      await log.end();
    }
  });

  it("refuses a monitoring URL that connects as a superuser, and says what the app role cannot see", async () => {
    const url = process.env.DATABASE_MONITOR_URL;
    try {
      process.env.DATABASE_MONITOR_URL = inject("superUrl");
      await expect(databaseOverview({ userId: operator.userId })).rejects.toSatisfy(isCode("validation"));
      delete process.env.DATABASE_MONITOR_URL;
      const o = await databaseOverview({ userId: operator.userId });
      expect(o.monitoring).toMatchObject({ dedicated: false, pgMonitor: false, limited: true });
    } finally {
      process.env.DATABASE_MONITOR_URL = url;
    }
  });
});
