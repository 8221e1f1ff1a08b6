import { sql } from "drizzle-orm";
import type { Tx } from "@/db/client";

/**
 * What the alert job counts in each organization's job context (row-level security applies): deployment targets
 * whose scheduled scan is late by more than `lateFactor` of their interval (10 minutes' grace, a never-scanned
 * target counted from its creation), and active integrations whose last health check was unhealthy.
 */
export async function organizationOpsCounts(tx: Tx, organizationId: string, lateFactor: number) {
  const [row] = await tx.execute<{ overdueScans: number; unhealthyIntegrations: number }>(sql`
    SELECT
      (SELECT count(*) FROM sync_targets t
        WHERE t.organization_id = ${organizationId} AND t.is_active
          AND coalesce(t.last_scan_at, t.created_at)
              < now() - make_interval(mins => t.scan_interval_minutes) * ${lateFactor}::float8 - interval '10 minutes'
      )::int AS "overdueScans",
      (SELECT count(*) FROM integration_configs c
        WHERE c.organization_id = ${organizationId} AND c.is_active AND c.deleted_at IS NULL
          AND c.health_status = 'unhealthy')::int AS "unhealthyIntegrations"`);
  return row;
}
