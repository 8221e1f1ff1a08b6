import type { Tx } from "@/db/client";
import type { TenantContext } from "@/db/context";
import { organizationEnvironments } from "@/db/repos/environments";
import { environmentValueRows } from "@/db/repos/values";
import { sealExport } from "@/lib/export-seal";
import { writeAudit, writeAudits } from "@/server/audit/audit";
import { requireRecentAuth } from "@/server/auth/step-up";
import { requireCapability } from "@/server/authz";
import { decryptedEntries } from "@/server/values/export";

/** What a values export holds, once opened (docs/security.md, "The organization's export"). */
export const VALUES_EXPORT_FORMAT = "ringbearer.values-export/1";

/**
 * Every value the caller may read, in every environment, as stored (a reference stays a reference), sealed with
 * their passphrase (lib/export-seal.ts): owners and admins, after a recent sign-in, whatever the values are.
 * Audited as a reveal of each value (`decrypt`, with its hash) plus one `export` row with the counts — the
 * passphrase and the values are never stored or logged.
 */
export async function exportOrganizationValues(tx: Tx, ctx: TenantContext, input: { passphrase: string }) {
  requireCapability(ctx, "settings:manage");
  await requireRecentAuth(tx, ctx);
  const environments = [];
  let count = 0;
  for (const env of await organizationEnvironments(tx, ctx.organizationId)) {
    const rows = await environmentValueRows(tx, env.id);
    const entries = await decryptedEntries(tx, ctx.organizationId, env.id, rows);
    await writeAudits(
      tx,
      ctx,
      rows.map((r) => ({
        action: "decrypt" as const,
        resourceType: "value" as const,
        variableId: r.variableId,
        environmentId: env.id,
        newValueHash: r.valueHash,
        details: { name: r.name, environment: env.name, version: r.version, export: "sealed" },
      })),
    );
    environments.push({
      name: env.name,
      type: env.type,
      values: entries.map((e, i) => ({ key: e.key, value: e.value, version: rows[i].version })),
    });
    count += rows.length;
  }
  const exportedAt = new Date().toISOString();
  await writeAudit(tx, ctx, {
    action: "export",
    resourceType: "organization",
    resourceId: ctx.organizationId,
    riskLevel: "HIGH",
    details: { values: count, environments: environments.length, sealed: true },
  });
  const plaintext = JSON.stringify({ format: VALUES_EXPORT_FORMAT, exportedAt, environments });
  return { sealed: await sealExport(plaintext, input.passphrase), count, exportedAt };
}
