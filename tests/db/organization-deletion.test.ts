/**
 * Deleting an organization (issue 17): only an owner, after a step-up and typing its URL name; from that moment
 * nothing of it can be read or written — by its members, its owner, a job — and it leaves everyone's lists; an
 * owner restores it within 30 days; after them the purge job removes every row of it in every table, and nothing
 * of any other organization. The purge's way past row-level security exists for every table with an
 * organization_id (a table added later without it would survive a purge).
 */
import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { withContext } from "@/db/context";
import { jobContexts, jobRunnerProofNow } from "@/db/job-contexts";
import { verifyChainIn } from "@/db/repos/audit";
import { organizationsFor } from "@/db/repos/memberships";
import { environmentVariables } from "@/db/schema";
import {
  deletedOrganizations,
  deleteOrganization,
  purgeDeletedOrganizations,
  restoreOrganization,
} from "@/server/organizations/deletion";
import { withSession } from "./session-fixture";
import { db, dbMessage, rawSql } from "./support";
import { isCode, valueFixture } from "./value-fixture";

type Fixture = Awaited<ReturnType<typeof valueFixture>>;
let doomed: Fixture;
let bystander: Fixture;
let developer: Awaited<ReturnType<Fixture["org"]["member"]>>;

const readVariables = (ctx: Parameters<typeof withContext>[0]) =>
  withContext(ctx, (tx) => tx.select({ name: environmentVariables.name }).from(environmentVariables));

/** Rows per table with an organization_id, for one organization (superuser: past row-level security). */
async function rowsOf(organizationId: string) {
  const su = rawSql("super");
  try {
    const tables = await su<{ table_name: string }[]>`
      select c.table_name from information_schema.columns c join information_schema.tables t
        on t.table_schema = c.table_schema and t.table_name = c.table_name
       where c.table_schema = 'public' and c.column_name = 'organization_id' and t.table_type = 'BASE TABLE'
         and not (select relispartition from pg_class where oid = ('public.' || quote_ident(c.table_name))::regclass)`;
    const counts: Record<string, number> = {};
    for (const { table_name } of tables) {
      const [row] = await su.unsafe(
        `select count(*)::int as n from "${table_name}" where organization_id = $1`,
        [organizationId],
      );
      if (row.n > 0) counts[table_name] = row.n;
    }
    const [org] = await su`select count(*)::int as n from organizations where id = ${organizationId}`;
    return { ...counts, organizations: org.n };
  } finally {
    await su.end();
  }
}

beforeAll(async () => {
  doomed = await valueFixture();
  bystander = await valueFixture();
  developer = await doomed.org.member("developer");
});

describe("deleting an organization", () => {
  it("is its owners', after a recent sign-in and its URL name typed again", async () => {
    const admin = await withSession(await doomed.org.member("admin"));
    await expect(
      withContext(admin, (tx) => deleteOrganization(tx, admin, { confirm: doomed.org.slug })),
    ).rejects.toSatisfy(isCode("forbidden"));
    await expect(
      withContext(doomed.org.owner, (tx) =>
        deleteOrganization(tx, doomed.org.owner, { confirm: doomed.org.slug }),
      ),
    ).rejects.toSatisfy(isCode("reauth_required"));
    const owner = await withSession(doomed.org.owner);
    const wrong = await withContext(owner, (tx) =>
      deleteOrganization(tx, owner, { confirm: "not-it" }),
    ).catch((e) => e);
    expect(wrong).toSatisfy(isCode("validation"));
    expect(wrong.fieldErrors?.confirm?.[0]).toMatch(/URL name/);
    // Nothing happened: the organization reads as before.
    expect((await readVariables(developer)).length).toBe(3);
  });

  it("makes it unreadable at once to everyone, and takes it off every list", async () => {
    const owner = await withSession(doomed.org.owner);
    const { purgeAfter } = await withContext(owner, (tx) =>
      deleteOrganization(tx, owner, { confirm: doomed.org.slug }),
    );
    expect(new Date(purgeAfter).getTime()).toBeGreaterThan(Date.now() + 29 * 86_400_000);
    await expect(readVariables(developer)).rejects.toSatisfy(isCode("not_found"));
    await expect(readVariables(doomed.org.owner)).rejects.toSatisfy(isCode("not_found"));
    expect((await organizationsFor(developer.userId)).map((o) => o.slug)).not.toContain(doomed.org.slug);
    expect((await jobContexts(db())).map((c) => c.organizationId)).not.toContain(doomed.org.id);
    // Another organization goes on as before.
    expect((await readVariables(bystander.org.owner)).length).toBe(3);
  });

  it("is listed for its owners only, and an owner restores it within its 30 days", async () => {
    expect((await deletedOrganizations(developer)).map((o) => o.slug)).toEqual([]);
    const mine = await deletedOrganizations(doomed.org.owner);
    expect(mine.map((o) => o.slug)).toEqual([doomed.org.slug]);
    const refused = await restoreOrganization(developer, { id: doomed.org.id }).catch((e) => e);
    expect(dbMessage(refused)).toMatch(/only an owner restores/);
    await restoreOrganization(doomed.org.owner, { id: doomed.org.id });
    expect((await readVariables(developer)).length).toBe(3);
    expect((await organizationsFor(developer.userId)).map((o) => o.slug)).toContain(doomed.org.slug);
  });

  it("is purged after its 30 days: every row of it, in every table, and nothing of anyone else", async () => {
    const owner = await withSession(doomed.org.owner);
    await withContext(owner, (tx) => deleteOrganization(tx, owner, { confirm: doomed.org.slug }));
    const before = await rowsOf(bystander.org.id);
    expect(Object.keys(await rowsOf(doomed.org.id)).length).toBeGreaterThan(10);
    // Within its 30 days the purge leaves it alone, and only the job runner may purge.
    expect((await purgeDeletedOrganizations()).purged).not.toContain(doomed.org.id);
    const forged = await db()
      .execute(sql`select purge_organization('not the proof', ${doomed.org.id}::uuid)`)
      .catch((e) => e);
    expect(dbMessage(forged)).toMatch(/only the job runner/);
    const early = await db()
      .execute(sql`select purge_organization(${jobRunnerProofNow()}, ${doomed.org.id}::uuid)`)
      .catch((e) => e);
    expect(dbMessage(early)).toMatch(/within its 30 days/);
    const su = rawSql("super");
    try {
      await su`update organization_deletions set purge_after = now() - interval '1 minute'
                where organization_id = ${doomed.org.id}`;
    } finally {
      await su.end();
    }
    expect((await purgeDeletedOrganizations()).purged).toContain(doomed.org.id);
    expect(await rowsOf(doomed.org.id)).toEqual({ organizations: 0 });
    expect(await rowsOf(bystander.org.id)).toEqual(before);
    const chain = await withContext(bystander.org.owner, (tx) => verifyChainIn(tx, bystander.org.id));
    expect(chain.brokenSeq).toBeNull();
    // The people stay: their accounts are theirs, not the organization's.
    expect((await organizationsFor(developer.userId)).map((o) => o.slug)).toEqual([]);
  });

  it("reaches every table with an organization_id: each has the purge's policies", async () => {
    const su = rawSql("super");
    try {
      const missing = await su<{ table_name: string }[]>`
        select c.table_name from information_schema.columns c join information_schema.tables t
          on t.table_schema = c.table_schema and t.table_name = c.table_name
         where c.table_schema = 'public' and c.column_name = 'organization_id' and t.table_type = 'BASE TABLE'
           -- a partition (the audit's months, 0054) is reached through its parent's policies
           and not (select relispartition from pg_class where oid = ('public.' || quote_ident(c.table_name))::regclass)
           and not exists (select 1 from pg_policies p where p.schemaname = 'public' and p.tablename = c.table_name
                            and p.policyname = c.table_name || '_purge_delete')`;
      expect(missing.map((m) => m.table_name)).toEqual([]);
    } finally {
      await su.end();
    }
  });
});
