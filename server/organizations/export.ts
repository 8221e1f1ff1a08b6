import type { Tx } from "@/db/client";
import type { TenantContext } from "@/db/context";
import { organizationConfiguration } from "@/db/repos/organization-export";
import { AppError } from "@/lib/errors";
import { writeAudit } from "@/server/audit/audit";
import { requireCapability } from "@/server/authz";

export const ORGANIZATION_EXPORT_FORMAT = "ringbearer.organization-export/1";

/**
 * The organization's configuration as one JSON document (issue 17: offered before an organization is deleted,
 * and to anyone leaving): metadata, environments, variables' definitions, members, wedding hours, deployment
 * targets and webhook endpoints — never a value, a default value, a hash or a secret. Owners and admins
 * (`settings:manage`); audited as an export. The audit trail has its own export (Audit → Export).
 */
export async function exportConfiguration(tx: Tx, ctx: TenantContext, now = new Date()) {
  requireCapability(ctx, "settings:manage");
  const config = await organizationConfiguration(tx, ctx.organizationId);
  if (!config.organization) throw new AppError("not_found");
  await writeAudit(tx, ctx, {
    action: "export",
    resourceType: "organization",
    resourceId: ctx.organizationId,
    details: { what: "configuration", variables: config.variables.length },
  });
  return { format: ORGANIZATION_EXPORT_FORMAT, exportedAt: now.toISOString(), ...config };
}
