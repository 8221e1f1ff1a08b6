import { getDb, type Tx } from "@/db/client";
import { type TenantContext, withContext } from "@/db/context";
import {
  decideCliLogin as decideRow,
  deliverCliLogin,
  pendingCliLogin,
  pollCliLogin as pollRow,
  startCliLogin as startRow,
} from "@/db/repos/cli-logins";
import { environmentRefs } from "@/db/repos/grants";
import { organizationSlug } from "@/db/repos/organizations";
import { tokenHash } from "@/db/vault";
import {
  isDeviceCode,
  LOGIN_MINUTES,
  newDeviceCode,
  newUserCode,
  normalUserCode,
  POLL_SECONDS,
} from "@/lib/cli-login";
import { AppError } from "@/lib/errors";
import { atLeast } from "@/lib/policy";
import type { Role } from "@/lib/roles";
import type { TokenAccess } from "@/lib/service-tokens";
import { writeAudit } from "@/server/audit/audit";
import { type Limit, reserve } from "@/server/auth/rate-limits";
import { requireCapability, valuePermissions } from "@/server/authz";
import { createPersonalToken, requireWithinCreator } from "./service-tokens";

/**
 * `ringbearer login` (RFC 8628 device authorization, docs/cli.md): start → the person approves the user code in
 * the console for one organization, environments and an access → the CLI's next poll receives a personal token
 * minted in the approver's name, once. Codes are stored only as keyed hashes, namespaced apart from tokens.
 */
const deviceHash = (code: string) => tokenHash(`cli-device:${code}`);
const userHash = (normal: string) => tokenHash(`cli-user:${normal}`);

/** Logins started per address: 10 in 15 minutes (a CLI starts one per `login`). */
const startLimit = (ip: string | undefined): Limit => ({
  key: `cli-login:${ip ?? "unknown"}`,
  max: 10,
  windowMinutes: 15,
});

/** A new login: the device code the CLI keeps, the user code it shows, when it ends, how often to poll. */
export async function startCliLogin(input: { client: string; ip?: string; userAgent?: string }) {
  const allowed = await reserve(getDb(), startLimit(input.ip));
  if (!allowed.ok) throw new AppError("rate_limited", undefined, { retryAfter: allowed.retryAfterSeconds });
  const deviceCode = newDeviceCode();
  const userCode = newUserCode();
  const expiresAt = await startRow(getDb(), {
    deviceHash: await deviceHash(deviceCode),
    userHash: await userHash(normalUserCode(userCode) as string),
    client: input.client,
    from: input.ip ?? null,
    agent: input.userAgent?.slice(0, 200) ?? null,
    minutes: LOGIN_MINUTES,
  });
  return { deviceCode, userCode, expiresAt, interval: POLL_SECONDS };
}

/** A pending login of this user code, for the person about to decide (null when there is none, or it ended). */
export async function pendingLogin(tx: Tx, code: string) {
  const normal = normalUserCode(code);
  if (!normal) return null;
  const row = await pendingCliLogin(tx, await userHash(normal));
  return row
    ? {
        client: row.client_name,
        requestedFrom: row.requested_from,
        userAgent: row.user_agent,
        createdAt: new Date(row.created_at),
        expiresAt: new Date(row.expires_at),
      }
    : null;
}

/**
 * What the console's approval page shows: the pending login of this code (null when none), and the environments the
 * caller may read, which the token may be given.
 */
export async function loginToDecide(tx: Tx, ctx: TenantContext, code: string) {
  const login = await pendingLogin(tx, code);
  if (!login) return null;
  const envs = await environmentRefs(tx, ctx);
  const permissions = await valuePermissions(tx, ctx, null, envs);
  return {
    login,
    environments: envs.filter((_, i) => atLeast(permissions[i].permission, "read")).map((e) => e.name),
  };
}

/**
 * The caller approves a login for their organization, these environments (by name) and an access — never beyond
 * what they may do themselves — or denies it. Audited in the organization either way.
 */
export async function decideLogin(
  tx: Tx,
  ctx: TenantContext,
  input: { code: string; approve: boolean; environments: string[]; access: TokenAccess },
) {
  requireCapability(ctx, "tokens:personal");
  const normal = normalUserCode(input.code);
  if (!normal)
    throw new AppError("validation", { code: ["Enter the 8 letters the CLI shows, such as WDJB-MJHT"] });
  const pending = await pendingCliLogin(tx, await userHash(normal));
  if (!pending)
    throw new AppError("validation", {
      code: [
        "No login waits for this code: it may have ended (10 minutes) or been used. Run ringbearer login again.",
      ],
    });
  const envs = await environmentRefs(tx, ctx);
  const chosen = envs.filter((e) => input.environments.includes(e.name));
  if (input.approve) {
    if (chosen.length === 0)
      throw new AppError("validation", { environments: ["Choose at least one environment"] });
    await requireWithinCreator(tx, ctx, chosen, input.access);
  }
  const decided = await decideRow(tx, {
    userHash: await userHash(normal),
    approve: input.approve,
    environmentIds: input.approve ? chosen.map((e) => e.id) : [],
    access: input.approve ? input.access : null,
  });
  if (!decided) throw new AppError("conflict:decided");
  await writeAudit(tx, ctx, {
    action: input.approve ? "approve" : "reject",
    resourceType: "session",
    details: {
      cliLogin: pending.client_name,
      requestedFrom: pending.requested_from,
      ...(input.approve ? { environments: chosen.map((e) => e.name), access: input.access } : {}),
    },
  });
  return { approved: input.approve, client: pending.client_name };
}

export type LoginPoll =
  | { status: "pending" | "denied" | "expired" }
  | {
      status: "approved";
      token: string;
      organization: string;
      environments: string[];
      access: TokenAccess;
      expiresAt: Date;
    };

/**
 * One poll of the CLI. Sooner than the interval after the last is `rate_limited` (RFC 8628 slow_down). Once
 * approved, the token is minted in the approver's context with their role today and handed over once; a login used
 * already, or whose approver has left the organization, is over.
 */
export async function pollLogin(code: string): Promise<LoginPoll> {
  if (!isDeviceCode(code)) throw new AppError("not_found");
  const row = await pollRow(getDb(), await deviceHash(code), POLL_SECONDS - 1);
  if (!row) throw new AppError("not_found");
  if (row.too_soon) throw new AppError("rate_limited", undefined, { retryAfter: POLL_SECONDS });
  if (row.status === "delivered" || row.expired) return { status: "expired" };
  if (row.status !== "approved") return { status: row.status };
  if (!row.decider_role || !row.organization_id || !row.decided_by) return { status: "denied" };
  const ctx = { userId: row.decided_by, organizationId: row.organization_id, role: row.decider_role as Role };
  return withContext(ctx, async (tx) => {
    const minted = await createPersonalToken(tx, ctx, {
      client: row.client_name,
      environmentIds: row.environment_ids ?? [],
      access: row.access ?? "read",
    });
    // Another poll delivered it meanwhile: this one mints nothing (the transaction rolls back).
    if (!(await deliverCliLogin(tx, await deviceHash(code), minted.id)))
      throw new AppError("conflict:decided");
    return {
      status: "approved" as const,
      token: minted.token,
      organization: (await organizationSlug(tx, ctx.organizationId)) ?? "",
      environments: minted.environments,
      access: row.access ?? "read",
      expiresAt: minted.expiresAt,
    };
  });
}
