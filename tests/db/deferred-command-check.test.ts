import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type TenantContext, withContext } from "@/db/context";
import { environments, memberships } from "@/db/schema";
import { changeRole } from "@/server/access/members";
import { approveChangeRequest, cancelChangeRequest } from "@/server/approvals/change-requests";
import { updateEnvironment } from "@/server/environments/environments";
import { rawSql, type TestOrg } from "./support";
import { refusal, requestId, writePathWorld } from "./write-path-fixture";

/**
 * Issue 13: a change request stores a typed command (a name and a payload). When it is approved, the payload is
 * checked again with the schema of the direct action (lib/commands.ts) before the same domain function runs: a
 * payload edited where it is stored is refused with `invalid:change_request`, and nothing is written.
 */
let world: Awaited<ReturnType<typeof writePathWorld>>;
let org: TestOrg;
let reviewer: TenantContext;
let ids: Record<string, string>;
const sup = rawSql("super");

beforeAll(async () => {
  world = await writePathWorld();
  ({ org, reviewer, ids } = world);
});

afterAll(async () => {
  await sup.end();
});

describe("a deferred command is checked again when it is applied", () => {
  /** Edits a stored request as the database's superuser would (past the guard that keeps its content fixed). */
  const tamper = async (id: string, payload: unknown) => {
    await sup.begin(async (t) => {
      await t`set local session_replication_role = replica`;
      await t`update change_requests set payload = ${t.json(payload as never)} where id = ${id}`;
    });
  };
  const approve = (id: string) => withContext(reviewer, (tx) => approveChangeRequest(tx, reviewer, { id }));
  const roleOf = async (userId: string) => {
    const [m] = await withContext(org.owner, (tx) =>
      tx.select({ role: memberships.role }).from(memberships).where(eq(memberships.userId, userId)),
    );
    return m.role;
  };
  const statusOf = async (id: string) => {
    const [r] = await sup`select status, payload from change_requests where id = ${id}`;
    return r.status as string;
  };

  it("refuses a payload with a wrong value, a wrong type, an extra field or another row; nothing is written", async () => {
    const target = await org.member("developer");
    const ask = () =>
      withContext(org.owner, (tx) =>
        changeRole(
          tx,
          org.owner,
          { userId: target.userId, role: "admin" },
          { reason: "Needs to manage releases" },
        ),
      ).then(requestId);
    const cases: [string, (p: Record<string, unknown>) => unknown, RegExp][] = [
      ["a role that does not exist", (p) => ({ ...p, role: "superuser" }), /role/],
      ["a wrong type", (p) => ({ ...p, userId: 42 }), /userId/],
      ["an extra field", (p) => ({ ...p, bypass: true }), /unexpected field bypass/],
      ["no payload at all", () => "admin", /payload/],
    ];
    for (const [, edit, problem] of cases) {
      const id = await ask();
      const [{ payload }] = await sup`select payload from change_requests where id = ${id}`;
      await tamper(id, edit(payload));
      await expect(approve(id)).rejects.toSatisfy(refusal("invalid:change_request", problem));
      expect(await roleOf(target.userId)).toBe("developer");
      expect(await statusOf(id)).toBe("pending");
      await withContext(org.owner, (tx) => cancelChangeRequest(tx, org.owner, { id }));
    }
    // Untouched, the same request applies.
    await approve(await ask());
    expect(await roleOf(target.userId)).toBe("admin");
  });

  it("refuses a payload moved to another row than the request names", async () => {
    const [production] = await withContext(org.owner, (tx) =>
      tx.select().from(environments).where(eq(environments.id, org.env.production)),
    );
    const id = await withContext(org.owner, (tx) =>
      updateEnvironment(
        tx,
        org.owner,
        production.id,
        production.version,
        {
          name: production.name,
          displayName: production.displayName,
          environmentType: "production",
          weddingDayProtection: false,
        },
        { reason: "Change the production protection" },
      ),
    ).then(requestId);
    const [stagingBefore] = await withContext(org.owner, (tx) =>
      tx.select().from(environments).where(eq(environments.id, org.env.staging)),
    );
    const [{ payload }] = await sup`select payload from change_requests where id = ${id}`;
    await tamper(id, { ...payload, id: org.env.staging });
    await expect(approve(id)).rejects.toSatisfy(refusal("invalid:change_request", /another row/));
    const [staging] = await withContext(org.owner, (tx) =>
      tx.select().from(environments).where(eq(environments.id, org.env.staging)),
    );
    expect(staging.version).toBe(stagingBefore.version);
    expect(await statusOf(id)).toBe("pending");
  });

  it("refuses a value request whose stored item was moved to another environment or altered", async () => {
    const moved = await world.propose("API_KEY", "api_key-v4", 1);
    // Stored items change in no way but re-encryption (migration 0037): only a superuser with the triggers off
    // can tamper with one, and the check on approval still catches it.
    const tamperItem = (statement: (t: typeof sup) => Promise<unknown>) =>
      sup.begin(async (t) => {
        await t`set local session_replication_role = replica`;
        await statement(t as unknown as typeof sup);
      });
    await tamperItem(
      (t) =>
        t`update change_request_items set environment_id = ${org.env.staging} where change_request_id = ${moved}`,
    );
    await expect(approve(moved)).rejects.toSatisfy(refusal("approval_required", /another environment/));
    const altered = await world.propose("SMTP_PASSWORD", "smtp-v1", 0);
    await tamperItem(
      (t) => t`update change_request_items set new_encrypted_value = 'AAAA' || substr(new_encrypted_value, 5)
      where change_request_id = ${altered}`,
    );
    await expect(approve(altered)).rejects.toSatisfy(refusal("invalid:change_request", /does not open/));
    const after = await world.heads("production", ["API_KEY", "SMTP_PASSWORD"]);
    expect(after.get(ids.API_KEY)?.version).toBe(1);
    expect(after.has(ids.SMTP_PASSWORD)).toBe(false);
    expect(await statusOf(moved)).toBe("pending");
  });
});
