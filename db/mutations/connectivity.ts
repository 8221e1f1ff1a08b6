import { and, eq } from "drizzle-orm";
import type { ProbeResult } from "@/lib/connectivity";
import { AppError } from "@/lib/errors";
import { environmentInOrg, requireValuePermission } from "../authz";
import type { Tx } from "../client";
import type { TenantContext } from "../context";
import { orgKeys } from "../keyring";
import { environmentVariableValues, variableValidations } from "../schema";
import { writeAudit } from "./audit";
import { decryptWith } from "./values";
import { liveVariable } from "./variables";

type Target = { variableId: string; environmentId: string };

/** The database URL to probe (server-side only; never returned to a client). */
export async function connectivityTarget(tx: Tx, ctx: TenantContext, t: Target) {
  const variable = await liveVariable(tx, ctx, t.variableId);
  if (variable.variableType !== "database_url")
    throw new AppError("validation", { form: ["Only database URLs have a connectivity check"] });
  const env = await environmentInOrg(tx, ctx, t.environmentId);
  await requireValuePermission(tx, ctx, variable.id, env, "read");
  const [value] = await tx
    .select()
    .from(environmentVariableValues)
    .where(
      and(
        eq(environmentVariableValues.variableId, variable.id),
        eq(environmentVariableValues.environmentId, env.id),
      ),
    );
  if (!value) throw new AppError("not_found");
  const url = decryptWith(
    await orgKeys(tx, ctx.organizationId),
    value.encryptionKeyId,
    value.encryptedValue,
    {
      organizationId: ctx.organizationId,
      variableId: variable.id,
      environmentId: env.id,
    },
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
  await tx
    .delete(variableValidations)
    .where(
      and(
        eq(variableValidations.variableId, t.variableId),
        eq(variableValidations.environmentId, t.environmentId),
        eq(variableValidations.validationType, "connectivity"),
      ),
    );
  await tx.insert(variableValidations).values({
    organizationId: ctx.organizationId,
    variableId: t.variableId,
    environmentId: t.environmentId,
    validationType: "connectivity",
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
