import { type Database, getDb, type Tx } from "@/db/client";
import { type TenantContext, withContext } from "@/db/context";
import { replaceConnectivityValidation } from "@/db/repos/connectivity";
import { environmentInOrg } from "@/db/repos/grants";
import { storedValue } from "@/db/repos/target-values";
import { orgVault } from "@/db/vault";
import { type ProbeResult, probeDatabaseUrl } from "@/lib/connectivity";
import { AppError } from "@/lib/errors";
import { writeAudit } from "@/server/audit/audit";
import { isLimited, type Limit, recordFailure } from "@/server/auth/rate-limits";
import { requireValuePermission } from "@/server/authz";
import { outboundAllowlist } from "@/server/outbound";
import { liveVariable } from "@/server/variables/variables";

type Target = { variableId: string; environmentId: string };

/** The database URL to probe (server-side only; never returned to a client). */
export async function connectivityTarget(tx: Tx, ctx: TenantContext, t: Target) {
  const variable = await liveVariable(tx, ctx, t.variableId);
  if (variable.variableType !== "database_url")
    throw new AppError("validation", { form: ["Only database URLs have a connectivity check"] });
  const env = await environmentInOrg(tx, ctx, t.environmentId);
  await requireValuePermission(tx, ctx, variable.id, env, "read");
  const value = await storedValue(tx, variable.id, env.id);
  if (!value) throw new AppError("not_found");
  const vault = await orgVault(tx, ctx.organizationId);
  const url = vault.decryptValue(
    { ciphertext: value.encryptedValue, keyId: value.encryptionKeyId },
    { organizationId: ctx.organizationId, variableId: variable.id, environmentId: env.id },
  );
  return { url, variable, env, version: value.version };
}

/** Stores the result as the latest connectivity validation and audits that the value was used. */
export async function recordConnectivity(
  tx: Tx,
  ctx: TenantContext,
  t: Target & { name: string; environment: string; version: number },
  result: ProbeResult,
) {
  await replaceConnectivityValidation(tx, {
    organizationId: ctx.organizationId,
    variableId: t.variableId,
    environmentId: t.environmentId,
    validationStatus: result.status,
    validationDetails: { message: result.message, ms: result.ms, version: t.version },
    errorMessage: result.status === "passed" ? null : result.message,
  });
  await writeAudit(tx, ctx, {
    action: "read",
    resourceType: "value",
    variableId: t.variableId,
    environmentId: t.environmentId,
    details: {
      name: t.name,
      environment: t.environment,
      purpose: "connectivity_check",
      result: result.status,
      ms: result.ms,
    },
  });
}

/** Connectivity checks per user: each one connects from the server, so they are few (10 per 15 minutes). */
export const connectivityLimit = (userId: string): Limit => ({
  key: `connectivity:${userId}`,
  max: 10,
  windowMinutes: 15,
});

/**
 * The connectivity check of one stored database URL, as a user asks for it: rate-limited per user (every
 * attempt counts, so it cannot be used to try credentials or ports at speed), then the value is read under the
 * caller's permissions, probed outside any transaction under the outbound policy (lib/connectivity), and the
 * result stored and audited.
 */
export async function checkConnectivity(
  ctx: TenantContext,
  t: Target,
  { timeoutMs, database = getDb() }: { timeoutMs?: number; database?: Database } = {},
): Promise<ProbeResult> {
  const limit = connectivityLimit(ctx.userId);
  if (await isLimited(database, limit)) throw new AppError("rate_limited");
  await recordFailure(database, limit);
  const { url, variable, env, version } = await withContext(ctx, (tx) => connectivityTarget(tx, ctx, t));
  const result = await probeDatabaseUrl(url, { timeoutMs, allow: outboundAllowlist() });
  await withContext(ctx, (tx) =>
    recordConnectivity(tx, ctx, { ...t, name: variable.name, environment: env.name, version }, result),
  );
  return result;
}
