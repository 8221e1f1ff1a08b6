import "server-only";
import { sql } from "drizzle-orm";
import type { Tx } from "@/db/client";
import { nextLockStart } from "./protection";

export type PrecheckItem = {
  id: string;
  name: string;
  platform: string;
  environment: string;
  healthStatus: string;
  healthMessage: string | null;
  /** When its credential stops working within the window (an OAuth grant that cannot be refreshed past it). */
  expiresAt: string | null;
};

/**
 * The wedding-hours window a pre-check looks at: the one in force now, or the next if it starts within `hours`;
 * null otherwise.
 */
export async function precheckWindow(tx: Tx, organizationId: string, now: Date, hours = 48) {
  const [locked] = await tx.execute<{ until: string | null }>(
    sql`select wedding_lock_until(${organizationId}::uuid, ${now.toISOString()}::timestamptz) as until`,
  );
  const starts = locked?.until ? now : await nextLockStart(tx, organizationId, now);
  if (!starts || starts.getTime() - now.getTime() > hours * 3_600_000) return null;
  const [end] = await tx.execute<{ until: string | null }>(
    // A second in: the lock that starts then is in force (its start is exclusive).
    sql`select wedding_lock_until(${organizationId}::uuid, ${new Date(starts.getTime() + 1000).toISOString()}::timestamptz) as until`,
  );
  return { startsAt: starts, endsAt: end?.until ? new Date(end.until) : starts };
}

/**
 * The Friday-afternoon pre-check (issue 15): when wedding hours start within `hours` (or hold now), the active
 * integrations of protected environments that are not HEALTHY, or whose OAuth access token runs out before the
 * window ends: the wedding-hours lock holds for every writer, the console's renewals too, so a grant renewed
 * hourly lapses inside the window unless someone connects it again under break-glass.
 */
export async function integrationPrecheck(tx: Tx, organizationId: string, now: Date, hours = 48) {
  const window = await precheckWindow(tx, organizationId, now, hours);
  if (!window) return null;
  const { startsAt: starts, endsAt: ends } = window;
  const items = await tx.execute<{
    id: string;
    name: string;
    platform: string;
    environment: string;
    health_status: string;
    health_message: string | null;
    expires_at: string | null;
  }>(sql`
    select c.id, c.name, c.platform, e.name as environment, c.health_status, c.health_message,
           lapse.at as expires_at
      from integration_configs c
      join environments e on e.id = c.environment_id
      left join lateral (
        select o.access_expires_at as at
          from integration_oauth_connections o
         where o.config_id = c.id and o.is_active
         order by o.created_at desc limit 1) lapse on true
     where c.organization_id = ${organizationId} and c.is_active and c.deleted_at is null
       and e.wedding_day_protection
       and (c.health_status <> 'healthy' or lapse.at < ${ends.toISOString()}::timestamptz)
     order by e.name, c.platform, c.name`);
  return {
    startsAt: starts,
    endsAt: ends,
    items: items.map(
      (r): PrecheckItem => ({
        id: r.id,
        name: r.name,
        platform: r.platform,
        environment: r.environment,
        healthStatus: r.health_status,
        healthMessage: r.health_message,
        expiresAt: r.expires_at,
      }),
    ),
  };
}
