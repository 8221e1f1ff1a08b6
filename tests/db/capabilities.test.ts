import type { TransactionSql } from "postgres";
import { beforeAll, describe, expect, it } from "vitest";
import { withContext } from "@/db/context";
import { allows, allowsEverywhere, type Capability } from "@/lib/capabilities";
import { effectivePermission, PERMISSIONS } from "@/lib/policy";
import { type EnvironmentType, environmentTier, ROLES, type Role } from "@/lib/roles";
import { setValue } from "@/server/values/values";
import { withSession } from "./session-fixture";
import { makeOrg, productionSecret, rawSql, type TestOrg } from "./support";

/**
 * The capabilities table (lib/capabilities.ts) against the SQL that RLS and the triggers use, for every role ×
 * capability × tier that SQL decides: connected as the app role, with the RLS context of a member of each role.
 * Capabilities not listed here have no SQL counterpart (the services and the action builder enforce them).
 */
type Tx = TransactionSql;
const TIERED_ENVS = ["development", "staging", "production"] as const;
const ROLLBACK = new Error("rollback");

let org: TestOrg;
const member = {} as Record<Role, { userId: string }>;
const emergency = {} as Record<Role, Record<string, string>>;
let otherSession: string;
let requestId: string;

/** Runs `fn` as the app role in the member's RLS context (and break-glass session), then rolls back. */
async function asMember<T>(role: Role, fn: (tx: Tx) => Promise<T>, emergencySession?: string): Promise<T> {
  const sql = rawSql("app");
  let out: T | undefined;
  try {
    await sql.begin(async (tx) => {
      await tx`select set_config('app.user_id', ${member[role].userId}, true),
                      set_config('app.organization_id', ${org.id}, true),
                      set_config('app.emergency_session_id', ${emergencySession ?? ""}, true)`;
      out = await fn(tx);
      throw ROLLBACK;
    });
  } catch (error) {
    if (error !== ROLLBACK) throw error;
  } finally {
    await sql.end();
  }
  return out as T;
}

/** Whether the statement succeeds (inside a savepoint, so the transaction goes on). */
async function succeeds(tx: Tx, run: (tx: Tx) => Promise<unknown>): Promise<boolean> {
  try {
    await tx.savepoint((sp) => run(sp as unknown as Tx));
    return true;
  } catch {
    return false;
  }
}

beforeAll(async () => {
  org = await makeOrg();
  member.owner = org.owner;
  for (const role of ROLES) if (role !== "owner") member[role] = await org.member(role);
  // A session of someone else, for the sessions policy (members:manage).
  otherSession = (await withSession(await org.member("viewer"))).sessionId;
  // A pending change request by a developer, for the decision guard (approvals:decide).
  const variableId = await productionSecret(org, {
    name: "STRIPE_SECRET_KEY",
    classification: "confidential",
    value: "sk_live_one",
    note: "first production key",
  });
  const developer = { ...member.developer, organizationId: org.id, role: "developer" as const };
  const proposal = await withContext(developer, (tx) =>
    setValue(tx, developer, {
      variableId,
      environmentId: org.env.production,
      value: "sk_live_two",
      expectedVersion: 1,
      note: "rotate the production key",
    }),
  );
  if (proposal.status !== "requested") throw new Error("expected a change request");
  requestId = proposal.requestId;
  // A live break-glass session of each member in each environment (written as the superuser: the fixture).
  const sql = rawSql("super");
  try {
    for (const role of ROLES) {
      emergency[role] = {};
      for (const name of TIERED_ENVS) {
        const [row] = await sql<{ id: string }[]>`
          insert into emergency_sessions (organization_id, user_id, environment_id, reason, expires_at)
          values (${org.id}, ${member[role].userId}, ${org.env[name]}, 'capability table test', now() + interval '30 minutes')
          returning id`;
        emergency[role][name] = row.id;
      }
    }
  } finally {
    await sql.end();
  }
});

describe("the capabilities table and the SQL helpers agree (app role, a member of each role)", () => {
  it("value permission (value:read/write/admin) in every tier: app_value_permission", async () => {
    const disagreements: string[] = [];
    for (const role of ROLES)
      for (const name of TIERED_ENVS)
        for (const inSession of [false, true]) {
          const level = await asMember(
            role,
            async (tx) => {
              const [row] = await tx<
                { level: number }[]
              >`select app_value_permission(null, ${org.env[name]}) as level`;
              return row.level;
            },
            inSession ? emergency[role][name] : undefined,
          );
          const expected = effectivePermission({
            role,
            userId: member[role].userId,
            envType: name as EnvironmentType,
            envName: name,
            variableId: null,
            grants: [],
            now: new Date(),
            timeZone: "UTC",
            emergencySession: inSession,
          }).permission;
          if (PERMISSIONS[level] !== expected)
            disagreements.push(
              `${role} in ${name}${inSession ? " (break-glass)" : ""}: sql ${PERMISSIONS[level]}, table ${expected}`,
            );
        }
    expect(disagreements).toEqual([]);
  });

  it("value:metadata and value:write per tier: app_visible_env_ids, app_writable_env_ids", async () => {
    const disagreements: string[] = [];
    for (const role of ROLES) {
      const { visible, writable } = await asMember(role, async (tx) => {
        const [row] = await tx<{ visible: string[]; writable: string[] }[]>`
          select app_visible_env_ids() as visible, app_writable_env_ids() as writable`;
        return row;
      });
      for (const name of TIERED_ENVS) {
        const tier = environmentTier(name as EnvironmentType);
        const check = (cap: Capability, sqlSays: boolean) => {
          if (sqlSays !== allows(role, cap, tier))
            disagreements.push(`${role} ${cap} in ${name}: sql ${sqlSays}, table ${!sqlSays}`);
        };
        check("value:metadata", visible.includes(org.env[name]));
        check("value:write", writable.includes(org.env[name]));
      }
    }
    expect(disagreements).toEqual([]);
  });

  it("organization-wide capabilities enforced in SQL: members:manage, approvals:decide, variable:purge", async () => {
    const disagreements: string[] = [];
    for (const role of ROLES) {
      const answers = await asMember(role, async (tx) => ({
        "members:manage": (await tx`select id from sessions where id = ${otherSession}`).length === 1,
        "approvals:decide": await succeeds(
          tx,
          (
            sp,
          ) => sp`update change_requests set status = 'approved', decided_by = app_user_id(), decided_at = now()
                      where id = ${requestId}`,
        ),
        "variable:purge": await succeeds(tx, (sp) => sp`select purge_deleted_variables()`),
      }));
      for (const [cap, sqlSays] of Object.entries(answers))
        if (sqlSays !== allowsEverywhere(role, cap as Capability))
          disagreements.push(`${role} ${cap}: sql ${sqlSays}, table ${!sqlSays}`);
    }
    expect(disagreements).toEqual([]);
  });
});
