import type { Tx } from "@/db/client";
import type { TenantContext } from "@/db/context";
import { environmentInOrg } from "@/db/repos/grants";
import { environmentValueRows } from "@/db/repos/values";
import { orgVault } from "@/db/vault";
import { serializeDotenv, serializeJson } from "@/lib/dotenv";
import { revealNeedsStepUp } from "@/lib/step-up";
import { writeAudit, writeAudits } from "@/server/audit/audit";
import { requireRecentAuth } from "@/server/auth/step-up";
import { requireValuePermission } from "@/server/authz";
import { referredAudits, resolveEntries } from "./references";

export type ExportFormat = "env" | "json";

type ValueRow = Awaited<ReturnType<typeof environmentValueRows>>[number];

/** One environment's value rows as `{ key, value }`, decrypted in memory (the caller audits the read). */
export async function decryptedEntries(
  tx: Tx,
  organizationId: string,
  environmentId: string,
  rows: ValueRow[],
) {
  const vault = await orgVault(tx, organizationId);
  return rows.map((r) => ({
    key: r.name,
    value: vault.decryptValue(
      { ciphertext: r.encryptedValue, keyId: r.encryptionKeyId },
      { organizationId, variableId: r.variableId, environmentId },
    ),
  }));
}

/**
 * Every value of an environment that the caller may read, decrypted, as `.env` or JSON. An export reveals each
 * value: it needs the same step-up as revealing any one of them (a recent re-authentication when one is
 * wedding-critical in production), and it is audited as a reveal of every value (`decrypt`, with its hash) plus
 * one `export` row naming the environment, format and count — never the values.
 */
export async function exportEnvironment(
  tx: Tx,
  ctx: TenantContext,
  environmentId: string,
  format: ExportFormat,
) {
  const env = await environmentInOrg(tx, ctx, environmentId);
  await requireValuePermission(tx, ctx, null, env, "read");
  const rows = await environmentValueRows(tx, env.id);
  if (rows.some((r) => revealNeedsStepUp(r, env.environmentType))) await requireRecentAuth(tx, ctx);
  const decrypted = await decryptedEntries(tx, ctx.organizationId, env.id, rows);
  // A reference reveals what it refers to: the same step-up, and a reveal row for each such value too.
  const { entries, revealed } = await resolveEntries(tx, ctx, env, decrypted);
  if (revealed.some((r) => revealNeedsStepUp(r, r.environment.environmentType)))
    await requireRecentAuth(tx, ctx);
  await writeAudits(tx, ctx, [
    ...rows.map((r) => ({
      action: "decrypt" as const,
      resourceType: "value" as const,
      variableId: r.variableId,
      environmentId: env.id,
      newValueHash: r.valueHash,
      details: { name: r.name, environment: env.name, version: r.version, export: format },
    })),
    ...referredAudits(revealed, { referredFrom: env.name, export: format }),
  ]);
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
