import "server-only";
import { sql } from "drizzle-orm";
import type { Tx } from "@/db/client";
import { organizationLimits } from "@/db/schema";
import type { LimitKey } from "@/lib/usage-limits";

/** `used` is null where it was not counted (storage, on the operators' list of every organization). */
export type UsageRow = { what: LimitKey; used: number | null; max: number; own: boolean };

/** One organization's usage against its limits (organization_usage, 0053): its members, or an operator. */
export async function organizationUsage(tx: Tx, organizationId: string): Promise<UsageRow[]> {
  const rows = await tx.execute<{ what: LimitKey; used: string | null; max: string; own: boolean }>(
    sql`select what, used, max, own from organization_usage(${organizationId})`,
  );
  return rows.map((r) => ({ what: r.what, used: Number(r.used ?? 0), max: Number(r.max), own: r.own }));
}

export type OrganizationUsage = { organizationId: string; name: string; slug: string; usage: UsageRow[] };

/** Every organization's usage, storage aside (ops_organizations_usage: operators only). */
export async function allOrganizationsUsage(tx: Tx): Promise<OrganizationUsage[]> {
  const rows = await tx.execute<{
    organization_id: string;
    name: string;
    slug: string;
    what: LimitKey;
    used: string | null;
    max: string;
    own: boolean;
  }>(sql`select * from ops_organizations_usage()`);
  const byOrg = new Map<string, OrganizationUsage>();
  for (const r of rows) {
    const entry = byOrg.get(r.organization_id) ?? {
      organizationId: r.organization_id,
      name: r.name,
      slug: r.slug,
      usage: [],
    };
    entry.usage.push({
      what: r.what,
      used: r.used === null ? null : Number(r.used),
      max: Number(r.max),
      own: r.own,
    });
    byOrg.set(r.organization_id, entry);
  }
  return [...byOrg.values()];
}

/** An operator sets an organization's limits: a number, or null for the installation's default (RLS: operators). */
export async function setOrganizationLimits(
  tx: Tx,
  organizationId: string,
  limits: Record<LimitKey, number | null>,
  by: string,
) {
  const values = {
    variables: limits.variables,
    environments: limits.environments,
    members: limits.members,
    serviceTokens: limits.service_tokens,
    apiRequestsPerDay: limits.api_requests_per_day,
    webhookDeliveriesPerDay: limits.webhook_deliveries_per_day,
    storageBytes: limits.storage_bytes,
    updatedBy: by,
  };
  await tx
    .insert(organizationLimits)
    .values({ organizationId, ...values })
    .onConflictDoUpdate({
      target: organizationLimits.organizationId,
      set: { ...values, updatedAt: sql`now()` },
    });
}
