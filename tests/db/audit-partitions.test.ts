import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { withContext } from "@/db/context";
import { migrate, rollback } from "@/db/migrate";
import { ensureAuditPartitions, verifyAuditChain } from "@/db/repos/audit";
import { indexUsage, tableSizes, unindexedForeignKeys } from "@/db/repos/ops-health";
import { parseMasterKey } from "@/lib/crypto";
import { setValue } from "@/server/values/values";
import { createVariable } from "@/server/variables/variables";
import { APP_ROLE, freshDatabase } from "./fresh-database";
import { db, makeOrg, rawSql, type TestOrg } from "./support";

/**
 * The audit trail partitioned by month (0054): rows land in their month's partition, the chain and the
 * append-only rules hold across partitions, a late month is moved out of the default partition, and the
 * migration goes both ways keeping every row.
 */
let org: TestOrg;
const su = rawSql("super");

const monthName = (d: Date) =>
  `environment_variable_audit_y${d.getUTCFullYear()}m${String(d.getUTCMonth() + 1).padStart(2, "0")}`;

async function writeRows(o: TestOrg, n: number, prefix: string) {
  await withContext(o.owner, async (tx) => {
    const v = await createVariable(tx, o.owner, {
      name: prefix,
      variableType: "secret",
      securityClassification: "confidential",
      isRequired: false,
      isWeddingCritical: false,
      tags: [],
    });
    for (let i = 0; i < n; i++)
      await setValue(tx, o.owner, {
        variableId: v.id,
        environmentId: o.env.development,
        value: `v-${i}`,
        expectedVersion: i,
      });
  });
}

/** As written in January 2025: the org's first `upTo` rows move there, the chain re-linked (as the superuser). */
async function backdate(sql: postgres.Sql, organizationId: string, upTo: number) {
  await sql`set session_replication_role = replica`;
  await sql.unsafe(
    `DO $$ DECLARE r environment_variable_audit; prev varchar := ''; BEGIN
      FOR r IN SELECT * FROM environment_variable_audit WHERE organization_id = '${organizationId}' ORDER BY seq LOOP
        IF r.seq <= ${upTo} THEN r.created_at := '2025-01-15T10:00:00Z'::timestamptz + r.seq * interval '1 minute'; END IF;
        r.prev_hash := prev;
        r.row_hash := audit_row_digest(r);
        UPDATE environment_variable_audit SET created_at = r.created_at, prev_hash = r.prev_hash, row_hash = r.row_hash
         WHERE id = r.id;
        prev := r.row_hash;
      END LOOP;
      UPDATE audit_chain_heads SET row_hash = prev WHERE organization_id = '${organizationId}';
    END $$`,
  );
  await sql`set session_replication_role = origin`;
}

const partitionOf = async (organizationId: string) =>
  su<{ seq: number; part: string }[]>`select seq::int, tableoid::regclass::text as part
    from environment_variable_audit where organization_id = ${organizationId} order by seq`;

beforeAll(async () => {
  org = await makeOrg();
  await writeRows(org, 4, "PARTITIONED_SECRET");
});
afterAll(async () => {
  await su.end();
});

describe("the audit trail partitioned by month", () => {
  it("writes each row into its month's partition, with this month and three ahead made in advance", async () => {
    const now = new Date();
    const rows = await partitionOf(org.id);
    expect(rows.length).toBeGreaterThanOrEqual(5);
    expect(new Set(rows.map((r) => r.part))).toEqual(new Set([monthName(now)]));
    const [{ kind }] = await su<{ kind: string }[]>`select relkind as kind from pg_class
      where oid = 'environment_variable_audit'::regclass`;
    expect(kind).toBe("p");
    const ahead = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 3, 1));
    const [{ exists }] = await su<
      { exists: boolean }[]
    >`select to_regclass(${monthName(ahead)}) is not null as exists`;
    expect(exists).toBe(true);
    expect(await ensureAuditPartitions(db())).toBe(0); // already there: the job makes nothing twice
  });

  it("keeps one chain across partitions, and moves a month the default partition took into its own", async () => {
    const late = await makeOrg();
    await writeRows(late, 3, "LATE_SECRET");
    await backdate(su, late.id, 3);
    const before = await partitionOf(late.id);
    expect(before.slice(0, 3).map((r) => r.part)).toEqual(
      Array(3).fill("environment_variable_audit_default"),
    );
    expect(await verifyAuditChain(late.owner)).toMatchObject({ brokenSeq: null });

    expect(await ensureAuditPartitions(db())).toBe(1);
    const after = await partitionOf(late.id);
    expect(after.slice(0, 3).map((r) => r.part)).toEqual(
      Array(3).fill("environment_variable_audit_y2025m01"),
    );
    const [{ n }] = await su<
      { n: number }[]
    >`select count(*)::int as n from environment_variable_audit_default`;
    expect(n).toBe(0);

    await writeRows(late, 1, "LATE_AFTER"); // the chain goes on in this month's partition
    const verdict = await verifyAuditChain(late.owner);
    expect(verdict).toMatchObject({ checked: after.length + 2, brokenSeq: null });
  });

  it("names a changed or missing row in an older partition", async () => {
    const late = await makeOrg();
    await writeRows(late, 3, "TAMPERED");
    await backdate(su, late.id, 2);
    await ensureAuditPartitions(db());
    const tampered = async (change: string) => {
      const sql = rawSql("super");
      try {
        return await sql.begin(async (tx) => {
          await tx`set local session_replication_role = replica`;
          await tx.unsafe(change);
          const [v] = await tx`select * from verify_audit_chain(${late.id})`;
          throw Object.assign(new Error("rollback"), { verdict: v });
        });
      } catch (e) {
        return (e as { verdict?: { broken_seq: string; reason: string } }).verdict;
      } finally {
        await sql.end();
      }
    };
    const where = `organization_id = '${late.id}' and seq = 2`;
    expect(
      await tampered(`update environment_variable_audit_y2025m01 set action = 'read' where ${where}`),
    ).toMatchObject({ broken_seq: "2", reason: "row content does not match its hash" });
    expect(await tampered(`delete from environment_variable_audit where ${where}`)).toMatchObject({
      broken_seq: "3",
      reason: "row 2 is missing before this one",
    });
    expect(await verifyAuditChain(late.owner)).toMatchObject({ brokenSeq: null }); // rolled back
  });

  it("refuses changes through the parent and each partition, and the app role cannot name a partition", async () => {
    const app = rawSql("app");
    const owner = rawSql("owner");
    const part = monthName(new Date());
    try {
      const refused = (q: Promise<unknown>) =>
        q.then(
          () => "allowed",
          (e: { code?: string }) => e.code,
        );
      expect(
        await refused(owner.begin((tx) => tx.unsafe("truncate environment_variable_audit cascade"))),
      ).toBe("RBA01");
      for (const p of [part, "environment_variable_audit_default", "environment_variable_audit_y2025m01"])
        expect(await refused(owner.begin((tx) => tx.unsafe(`truncate ${p} cascade`)))).toBe("RBA01");
      expect(
        await refused(
          su.begin(async (tx) => {
            await tx`select set_config('app.organization_id', ${org.id}, true)`;
            await tx.unsafe(`update ${part} set action = 'read' where organization_id = '${org.id}'`);
          }),
        ),
      ).toBe("RBA01");
      expect(await refused(app.unsafe(`select count(*) from ${part}`))).toBe("42501");
      expect(await refused(app.unsafe("select count(*) from environment_variable_audit_default"))).toBe(
        "42501",
      );
      expect(
        await refused(
          app.unsafe(
            `insert into ${part} (organization_id, action, resource_type) values ('${org.id}', 'read', 'variable')`,
          ),
        ),
      ).toBe("42501");
    } finally {
      await app.end();
      await owner.end();
    }
  });

  it("stamps the time of writing, and refuses a row dated another month (it would land in the past)", async () => {
    const insert = (createdAt: string) =>
      withContext(org.owner, (tx) =>
        tx.execute(
          `insert into environment_variable_audit (organization_id, action, resource_type, created_at)
           values ('${org.id}', 'read', 'variable', '${createdAt}') returning created_at`,
        ),
      );
    const refused = await insert("2025-01-01T00:00:00Z").then(
      () => "allowed",
      (e: { cause?: { code?: string } }) => e.cause?.code,
    );
    expect(refused).toBe("RBA02");
    const startOfMonth = new Date(Date.UTC(new Date().getUTCFullYear(), new Date().getUTCMonth(), 1));
    const before = Date.now();
    const [row] = (await insert(startOfMonth.toISOString())) as unknown as { created_at: string }[];
    expect(new Date(row.created_at).getTime()).toBeGreaterThanOrEqual(before - 1000);
    expect(await verifyAuditChain(org.owner)).toMatchObject({ brokenSeq: null });
  });
});

describe("the operator console's figures", () => {
  it("count the partitioned audit once, summed over its months, and list no partition of it", async () => {
    const tables = (await tableSizes(db())).filter((t) => t.table.startsWith("environment_variable_audit"));
    expect(tables.map((t) => t.table)).toEqual(["environment_variable_audit"]);
    const [{ bytes, rows }] = await su<{ bytes: number; rows: number }[]>`
      select sum(pg_total_relation_size(relid))::float8 as bytes,
             (select count(*) from environment_variable_audit)::float8 as rows
        from pg_partition_tree('environment_variable_audit') where isleaf`;
    expect(tables[0].totalBytes).toBe(bytes);
    expect(tables[0].totalBytes).toBeGreaterThan(0);
    expect(rows).toBeGreaterThan(0);
    const indexes = (await indexUsage(db())).filter((i) => i.table.startsWith("environment_variable_audit"));
    expect(new Set(indexes.map((i) => i.table))).toEqual(new Set(["environment_variable_audit"]));
    expect(indexes.find((i) => i.index === "idx_env_var_audit_org_seq")?.bytes).toBeGreaterThan(0);
    const unindexed = await unindexedForeignKeys(db());
    // The review's link to its audit row is served by its unique key; the per-partition copies are not listed.
    expect(
      unindexed.filter(
        (f) =>
          f.constraint === "emergency_reviews_audit_fk" || f.table.startsWith("environment_variable_audit_"),
      ),
    ).toEqual([]);
  });
});

describe("the partitioning migration", () => {
  it("goes back to one table and forward again keeping every row, its chain and the review's link", {
    timeout: 120_000,
  }, async () => {
    const fresh = await freshDatabase("partitions");
    const url = new URL(inject("superUrl"));
    url.pathname = `/${fresh.name}`;
    const sql = postgres(url.toString(), { max: 1, onnotice: () => {} });
    try {
      const masterKey = parseMasterKey(inject("masterKey"));
      await migrate(fresh.ownerUrl, APP_ROLE, { masterKey });
      const [{ id }] = await sql<{ id: string }[]>`insert into organizations (slug, name)
        values ('swap', 'Swap') returning id`;
      // Rows that name a person, an environment and a variable: their keys are checked again on the way.
      await sql.begin(async (tx) => {
        await tx`select set_config('app.organization_id', ${id}, true)`;
        const [user] = await tx`insert into users (email, name, password_hash)
          values ('swap@test.example', 'Swap', 'x') returning id`;
        const [env] =
          await tx`insert into environments (organization_id, name, display_name, environment_type)
          values (${id}, 'qa', 'QA', 'testing') returning id`;
        const [variable] = await tx`insert into environment_variables (organization_id, name, variable_type,
            security_classification, created_by) values (${id}, 'SWAP_KEY', 'secret', 'internal', ${user.id})
          returning id`;
        await tx`insert into environment_variable_audit (organization_id, action, resource_type, emergency,
            user_id, environment_id, variable_id)
          select ${id}, 'update', 'value', i = 2, ${user.id}, ${env.id}, ${variable.id} from generate_series(1, 3) i`;
      });
      const state = async () => {
        const [s] = await sql<{ kind: string; rows: number; reviews: number; broken: string | null }[]>`
          select (select relkind from pg_class where oid = 'environment_variable_audit'::regclass) as kind,
                 (select count(*)::int from environment_variable_audit) as rows,
                 (select count(*)::int from emergency_reviews r join environment_variable_audit a on a.id = r.audit_id)
                   as reviews,
                 (select reason from verify_audit_chain(${id})) as broken`;
        return s;
      };
      const before = await state();
      expect(before).toMatchObject({ kind: "p", reviews: 1, broken: null });
      expect(before.rows).toBeGreaterThanOrEqual(3);
      await rollback(fresh.ownerUrl, APP_ROLE, 1);
      expect(await state()).toEqual({ ...before, kind: "r" });
      const [{ unique }] = await sql<{ unique: boolean }[]>`select indisunique as unique from pg_index
        where indexrelid = 'idx_env_var_audit_org_seq'::regclass`;
      expect(unique).toBe(true);
      await migrate(fresh.ownerUrl, APP_ROLE, { masterKey });
      expect(await state()).toEqual(before);
      await sql.begin(async (tx) => {
        await tx`select set_config('app.organization_id', ${id}, true)`;
        await tx`insert into environment_variable_audit (organization_id, action, resource_type, emergency)
          values (${id}, 'update', 'value', true)`;
      });
      expect(await state()).toEqual({ ...before, rows: before.rows + 1, reviews: 2 });
    } finally {
      await sql.end();
      await fresh.drop();
    }
  });
});
