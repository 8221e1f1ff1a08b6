import { and, asc, eq, isNull } from "drizzle-orm";
import { serializeDotenv, serializeJson } from "@/lib/dotenv";
import { environmentInOrg, requireValuePermission } from "../authz";
import type { Tx } from "../client";
import type { TenantContext } from "../context";
import { orgKeys } from "../keyring";
import { environmentVariables, environmentVariableValues } from "../schema";
import { writeAudit } from "./audit";
import { decryptWith } from "./values";

export type ExportFormat = "env" | "json";

/**
 * Every value of an environment that the caller may read, decrypted, as `.env` or JSON — audited as an
 * export (one row naming the environment, format and count; never the values).
 */
export async function exportEnvironment(
  tx: Tx,
  ctx: TenantContext,
  environmentId: string,
  format: ExportFormat,
) {
  const env = await environmentInOrg(tx, ctx, environmentId);
  await requireValuePermission(tx, ctx, null, env, "read");
  const rows = await tx
    .select({
      variableId: environmentVariables.id,
      name: environmentVariables.name,
      encryptedValue: environmentVariableValues.encryptedValue,
      encryptionKeyId: environmentVariableValues.encryptionKeyId,
    })
    .from(environmentVariableValues)
    .innerJoin(environmentVariables, eq(environmentVariables.id, environmentVariableValues.variableId))
    .where(and(eq(environmentVariableValues.environmentId, env.id), isNull(environmentVariables.deletedAt)))
    .orderBy(asc(environmentVariables.name));
  const keys = await orgKeys(tx, ctx.organizationId);
  const entries = rows.map((r) => ({
    key: r.name,
    value: decryptWith(keys, r.encryptionKeyId, r.encryptedValue, {
      organizationId: ctx.organizationId,
      variableId: r.variableId,
      environmentId: env.id,
    }),
  }));
  await writeAudit(tx, ctx, {
    action: "export",
    resourceType: "environment",
    resourceId: env.id,
    environmentId: env.id,
    details: { environment: env.name, format, count: entries.length },
  });
  const body = format === "json" ? serializeJson(entries) : serializeDotenv(entries);
  return { filename: `${env.name}.${format === "json" ? "json" : "env"}`, body, count: entries.length };
}
