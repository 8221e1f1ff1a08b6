/**
 * The organization the role matrix runs in: a member of each role (and the owner who sets things up), a
 * member of another organization, and fixtures made fresh for every call (a variable, a value, a target, a
 * change request…), so an allowed call that deletes or changes something never disturbs the next one.
 */
import { randomBytes } from "node:crypto";
import type postgres from "postgres";
import { type TenantContext, withContext } from "@/db/context";
import { policyInput } from "@/lib/validation/access";
import { targetInput } from "@/lib/validation/targets";
import { serviceTokenInput } from "@/lib/validation/tokens";
import { grantPolicy } from "@/server/access/access";
import { createInvitation } from "@/server/access/invitations";
import { createTarget } from "@/server/targets/sync-targets";
import { createServiceToken } from "@/server/tokens/service-tokens";
import { setValue } from "@/server/values/values";
import { createVariable, deleteVariable } from "@/server/variables/variables";
import { approveAs, makeOrg, PASSWORD, type TestOrg, unique } from "../db/support";
import { HttpSession } from "./session";

export const CALLERS = [
  "admin",
  "security_reviewer",
  "on_call",
  "developer",
  "viewer",
  "other",
  "anonymous",
] as const;
export type Caller = (typeof CALLERS)[number];
export type Member = TenantContext & { email: string };

export type World = {
  org: TestOrg;
  superSql: postgres.Sql;
  members: Record<Exclude<Caller, "other" | "anonymous">, Member>;
  /** An admin of another organization. */
  other: Member;
  sessions: Record<Caller, HttpSession>;
};

export async function makeWorld(superSql: postgres.Sql): Promise<World> {
  const org = await makeOrg();
  const members = {
    admin: await org.member("admin"),
    security_reviewer: await org.member("security_reviewer"),
    on_call: await org.member("on_call"),
    developer: await org.member("developer"),
    viewer: await org.member("viewer"),
  };
  const other = await (await makeOrg()).member("admin");
  const world: World = {
    org,
    superSql,
    members,
    other,
    sessions: {} as Record<Caller, HttpSession>,
  };
  await signInAll(world);
  return world;
}

/** Signs every caller in again (a fresh sign-in also counts as the recent re-authentication step-up asks for). */
export async function signInAll(world: World) {
  for (const [caller, m] of Object.entries({ ...world.members, other: world.other }))
    world.sessions[caller as Caller] = await HttpSession.signIn(m.email, PASSWORD);
  world.sessions.anonymous = HttpSession.anonymous();
}

export const form = (fields: Record<string, string>) => {
  const f = new FormData();
  for (const [k, v] of Object.entries(fields)) f.set(k, v);
  return f;
};

const name = (prefix: string) => `${prefix}_${randomBytes(4).toString("hex").toUpperCase()}`;

/** A variable made by the owner (internal by default), with values set by the owner (approved if they wait). */
export async function variable(
  world: World,
  opts: {
    classification?: "public" | "internal" | "confidential" | "wedding_day_critical";
    type?: "secret" | "database_url";
    values?: Partial<Record<"development" | "staging" | "production", string>>;
    /** Written after `values`, as version 2 (e.g. to have an earlier version to restore). */
    thenValues?: Partial<Record<"development" | "staging" | "production", string>>;
  } = {},
) {
  const { org } = world;
  const created = await withContext(org.owner, (tx) =>
    createVariable(tx, org.owner, {
      name: name("MATRIX"),
      variableType: opts.type ?? "secret",
      securityClassification: opts.classification ?? "internal",
      isRequired: false,
      isWeddingCritical: false,
      tags: [],
    }),
  );
  const writes = [
    ...Object.entries(opts.values ?? {}).map(([env, value]) => ({ env, value, expectedVersion: 0 })),
    ...Object.entries(opts.thenValues ?? {}).map(([env, value]) => ({ env, value, expectedVersion: 1 })),
  ];
  for (const { env, value, expectedVersion } of writes)
    await approveAs(
      org,
      await withContext(org.owner, (tx) =>
        setValue(tx, org.owner, {
          variableId: created.id,
          environmentId: org.env[env as keyof TestOrg["env"]],
          value,
          expectedVersion,
          note: "Set up for the role matrix",
        }),
      ),
    );
  return created;
}

export async function deletedVariable(world: World) {
  const v = await variable(world);
  await withContext(world.org.owner, (tx) => deleteVariable(tx, world.org.owner, v.id, v.version));
  return v.id;
}

/** A value change waiting for approval, asked for by `by` (the owner by default). */
export async function pendingRequest(world: World, by?: Member) {
  const asker = by ?? world.org.owner;
  const v = await variable(world, { classification: "confidential", values: { production: "live-1" } });
  const change = await withContext(asker, (tx) =>
    setValue(tx, asker, {
      variableId: v.id,
      environmentId: world.org.env.production,
      value: "live-2",
      expectedVersion: 1,
      note: "Rotated at the provider",
    }),
  );
  if (change.status !== "requested") throw new Error("expected the change to wait for approval");
  return { id: change.requestId, variableId: v.id };
}

/** An HTTP target of staging on a closed loopback port, just scanned (so no scheduled scan runs meanwhile). */
export async function target(world: World) {
  const { org } = world;
  const created = await withContext(org.owner, (tx) =>
    createTarget(
      tx,
      org.owner,
      targetInput.parse({
        environmentId: org.env.staging,
        name: unique("web").toLowerCase(),
        kind: "http",
        location: "http://127.0.0.1:1",
        secret: "a-shared-secret-for-the-role-matrix-0123",
        scanIntervalMinutes: "1440",
      }),
    ),
  );
  await world.superSql`update sync_targets set last_scan_at = now() where id = ${created.id}`;
  const [row] = await world.superSql<{ version: number; name: string }[]>`
    select version, name from sync_targets where id = ${created.id}`;
  return { id: created.id, version: row.version, name: row.name };
}

export async function completedSync(world: World, targetId: string) {
  const [row] = await world.superSql<{ id: string }[]>`
    insert into deployment_syncs (organization_id, environment_id, target_id, sync_type, sync_status,
      sync_details, started_by, completed_at)
    values (${world.org.id}, ${world.org.env.staging}, ${targetId}, 'manual', 'completed',
      '{"snapshot":{}}'::jsonb, ${world.org.owner.userId}, now())
    returning id`;
  return row.id;
}

export async function openDriftRow(world: World, targetId: string) {
  const key = unique("DRIFT");
  const [row] = await world.superSql<{ id: string }[]>`
    insert into configuration_drift (organization_id, environment_id, target_id, drift_type, variable_name,
      drift_key, drift_severity)
    values (${world.org.id}, ${world.org.env.staging}, ${targetId}, 'unexpected_variable', ${key},
      ${`${targetId}:${key}`}, 'low')
    returning id`;
  return row.id;
}

export async function readGrant(world: World) {
  const granted = await withContext(world.org.owner, (tx) =>
    grantPolicy(
      tx,
      world.org.owner,
      policyInput.parse({
        subject: "role",
        role: "viewer",
        permission: "read",
        scope: "all",
        environments: "",
      }),
    ),
  );
  if (granted.status !== "applied") throw new Error("expected the grant to apply");
  return granted.id;
}

export async function invitation(world: World, email = `${unique("invitee")}@test.example`) {
  const made = await withContext(world.org.owner, (tx) =>
    createInvitation(tx, world.org.owner, { email, role: "developer" }),
  );
  return { id: made.id, token: made.token, email };
}

/** A live read token of the organization's owner, for staging. */
export async function serviceToken(world: World) {
  return withContext(world.org.owner, (tx) =>
    createServiceToken(
      tx,
      world.org.owner,
      serviceTokenInput.parse({ name: unique("token"), environments: ["staging"], access: "read" }),
    ),
  );
}

/** A weekly window that is not in force now (it starts three days from now, for one minute). */
export async function idleWindow(world: World) {
  const [row] = await world.superSql<{ id: string }[]>`
    insert into protection_windows (organization_id, start_day, start_time, end_day, end_time)
    select ${world.org.id}, extract(isodow from now() + interval '3 days')::int, '03:00',
           extract(isodow from now() + interval '3 days')::int, '03:01'
    returning id`;
  return row.id;
}

/** An emergency change by the owner, waiting for a reviewer's acknowledgement. */
export async function emergencyReview(world: World) {
  return world.superSql.begin(async (tx) => {
    await tx`select set_config('app.organization_id', ${world.org.id}, true)`;
    const [audit] = await tx<{ id: string }[]>`
      insert into environment_variable_audit (organization_id, user_id, action, resource_type, change_details,
        emergency)
      values (${world.org.id}, ${world.org.owner.userId}, 'update', 'settings', '{"matrix":true}'::jsonb, true)
      returning id`;
    const [review] = await tx<
      { id: string }[]
    >`select id from emergency_reviews where audit_id = ${audit.id}`;
    return review.id;
  });
}

/** Wedding hours in the organization now; `end` lifts them and ends any break-glass session opened meanwhile. */
export async function weddingHours(world: World) {
  const [row] = await world.superSql<{ id: string }[]>`
    insert into protection_blackouts (organization_id, starts_at, ends_at, reason)
    values (${world.org.id}, now() - interval '1 minute', now() + interval '1 hour', 'Role matrix wedding')
    returning id`;
  return async () => {
    await world.superSql.begin(async (tx) => {
      await tx`set local session_replication_role = replica`;
      await tx`delete from protection_blackouts where id = ${row.id}`;
      await tx`update emergency_sessions set ended_at = now() where organization_id = ${world.org.id} and ended_at is null`;
    });
  };
}

/**
 * Stops the server's background work from writing while a refused call is watched: every target counts as
 * just scanned and none pushes on its own (a target the admin just created would be scanned at the next
 * minute), no webhook endpoint is active and no delivery is left to try, then it waits until no scan, push or
 * webhook job is queued or running.
 */
export async function quiesce(superSql: postgres.Sql) {
  await superSql`
    update sync_targets set last_scan_at = now(), auto_push = false
    where last_scan_at is null or last_scan_at < now() - interval '30 seconds' or auto_push`;
  // Webhooks: no endpoint hears what comes next, and no earlier delivery is tried again meanwhile.
  await superSql`update webhook_endpoints set is_active = false where is_active`;
  await superSql`update webhook_deliveries set status = 'failed' where status = 'pending'`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    const [{ busy }] = await superSql<{ busy: number }[]>`
      select count(*)::int as busy from pgboss.job
      where name in ('scan-target', 'push-target', 'webhook-deliver')
        and (state = 'active' or (state in ('created', 'retry') and start_after <= now()))`;
    if (busy === 0) return;
    if (Date.now() > deadline) throw new Error(`${busy} background jobs still queued or running after 60 s`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
