/**
 * Streamed exports never end as a silent partial file: bad filters and failures before the first row are
 * JSON errors with a status (and no export audit row), a failure after the first byte ends the file with a
 * visible marker. The database failure is real: a lock holds the next batch's query, whose connection is
 * then terminated.
 */
import type postgres from "postgres";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createUser } from "@/server/auth/users";
import { createOrganization } from "@/server/organizations/organizations";
import { db, PASSWORD, rawSql, unique } from "../db/support";
import { HttpSession } from "./session";

/** More rows than the server can buffer ahead of a client that stopped reading (batches of 1,000). */
const ROWS = 20_000;

let superSql: postgres.Sql;
let session: HttpSession;
let slug: string;
let orgId: string;
const appRole = () => decodeURIComponent(new URL(inject("databaseUrl")).username);

beforeAll(async () => {
  superSql = rawSql("super");
  const email = `${unique("auditor")}@test.example`;
  const owner = await createUser(db(), { email, name: "Auditor", password: PASSWORD });
  slug = unique("org");
  orgId = (
    await createOrganization(db(), {
      slug,
      name: slug,
      timeZone: "UTC",
      ownerId: owner.id,
      defaultWindow: false,
    })
  ).id;
  // In the organization's context, as the chain's trigger (and its row-level security) expects.
  await superSql.begin(async (tx) => {
    await tx`select set_config('app.organization_id', ${orgId}, true), set_config('app.user_id', ${owner.id}, true)`;
    await tx`
      insert into environment_variable_audit (organization_id, user_id, action, resource_type, change_details)
      select ${orgId}, ${owner.id}, 'read', 'organization', jsonb_build_object('n', n)
      from generate_series(1, ${ROWS}) n`;
  });
  session = await HttpSession.signIn(email, PASSWORD);
}, 120_000);

afterAll(async () => {
  await superSql.end({ timeout: 5 });
});

const exportRows = async () =>
  (
    await superSql<{ n: number }[]>`
      select count(*)::int as n from environment_variable_audit
      where organization_id = ${orgId} and action = 'export'`
  )[0].n;

/**
 * Holds an exclusive lock on a table the export's batch query reads, waits until the app's query is blocked
 * on it, terminates that connection (the database "going away" under it) and releases the lock.
 */
async function failTheNextBatch() {
  const client = rawSql("super");
  const lock = await client.reserve();
  try {
    await lock`begin`;
    await lock`lock table environment_variables in access exclusive mode`;
    const deadline = Date.now() + 30_000;
    for (;;) {
      const [blocked] = await superSql<{ pid: number }[]>`
        select pid from pg_stat_activity
        where usename = ${appRole()} and wait_event_type = 'Lock'
          and query ilike 'select%environment_variable_audit%'`;
      if (blocked) {
        await superSql`select pg_terminate_backend(${blocked.pid})`;
        return;
      }
      if (Date.now() > deadline) throw new Error("the export's batch query never waited on the lock");
      await new Promise((r) => setTimeout(r, 20));
    }
  } finally {
    await lock`rollback`;
    lock.release();
    await client.end({ timeout: 5 });
  }
}

describe("audit export", () => {
  it("answers an impossible date with a field error (422), never a 200 with a cut-off body", async () => {
    const before = await exportRows();
    for (const query of ["format=json&from=2025-02-31", "format=csv&to=2025-13-01", "format=xml"]) {
      const answer = await session.request(`/api/o/${slug}/audit/export?${query}`);
      expect(answer.status, query).toBe(422);
      expect(JSON.parse(answer.body).error.code, query).toBe("validation");
    }
    expect(await exportRows()).toBe(before);
  });

  it("answers a database failure before the first row with a JSON error and its status, and audits nothing", async () => {
    // A time zone PostgreSQL does not know (as a restore from elsewhere could leave): the first batch's
    // date filter fails in the database.
    await superSql`update organizations set time_zone = 'Mars/Olympus' where id = ${orgId}`;
    try {
      const before = await exportRows();
      const answer = await session.request(`/api/o/${slug}/audit/export?format=json&from=2025-01-01`);
      expect(answer.status).toBeGreaterThanOrEqual(400);
      expect(JSON.parse(answer.body).error.code).toBeTruthy();
      expect(await exportRows()).toBe(before);
    } finally {
      await superSql`update organizations set time_zone = 'UTC' where id = ${orgId}`;
    }
  });

  it.each(["json", "csv"])(
    "ends a %s file that failed after its first byte with a visible marker",
    async (format) => {
      const response = await fetch(`${session.baseUrl}/api/o/${slug}/audit/export?format=${format}`, {
        headers: { cookie: session.cookieHeader() },
      });
      expect(response.status).toBe(200);
      const reader = (response.body as ReadableStream<Uint8Array>).getReader();
      const decoder = new TextDecoder();
      let text = decoder.decode((await reader.read()).value, { stream: true });
      await failTheNextBatch();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        text += decoder.decode(value, { stream: true });
      }
      const rows = text.split("\n").length;
      expect(rows).toBeGreaterThan(1000);
      expect(rows).toBeLessThan(ROWS);
      if (format === "csv") expect(text.endsWith("# export failed: unavailable:database\r\n")).toBe(true);
      else {
        expect(text.trimEnd().endsWith('"code":"unavailable:database","message":')).toBe(false);
        expect(text).toMatch(/\{"error":\{"code":"unavailable:database","message":"[^"]+"\}\}\n$/);
        expect(() => JSON.parse(text)).toThrow();
      }
    },
  );
});

describe("environment export", () => {
  it("refuses a bad format or id with a JSON error before anything is decrypted or audited", async () => {
    const before = await exportRows();
    const [env] = await superSql<{ id: string }[]>`
      select id from environments where organization_id = ${orgId} and name = 'development'`;
    const bad = await session.request(`/api/o/${slug}/environments/${env.id}/export?format=yaml`);
    expect(bad.status).toBe(422);
    expect(JSON.parse(bad.body).fieldErrors).toHaveProperty("format");
    expect((await session.request(`/api/o/${slug}/environments/not-an-id/export`)).status).toBe(404);
    expect(await exportRows()).toBe(before);
  });
});
