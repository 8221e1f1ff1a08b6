import { sql } from "drizzle-orm";
import type { Tx } from "@/db/client";

export type QueueRow = {
  queue: string;
  waiting: number;
  active: number;
  failed: number;
  oldestWaitingSeconds: number | null;
};

/**
 * The background job queues (pg-boss, schema pgboss): jobs waiting, running and failed in the last day, and how
 * long the oldest waiting one has been due. The app role reads pgboss as it runs the jobs.
 */
export async function queueDepths(tx: Tx): Promise<QueueRow[]> {
  return tx.execute<QueueRow>(sql`
    SELECT q.name AS "queue",
           count(*) FILTER (WHERE j.state IN ('created', 'retry') AND j.start_after <= now())::int AS "waiting",
           count(*) FILTER (WHERE j.state = 'active')::int AS "active",
           count(*) FILTER (WHERE j.state = 'failed' AND j.completed_on > now() - interval '1 day')::int AS "failed",
           extract(epoch FROM now() - min(j.start_after) FILTER (WHERE j.state IN ('created', 'retry')
             AND j.start_after <= now()))::float8 AS "oldestWaitingSeconds"
      FROM pgboss.queue q LEFT JOIN pgboss.job j ON j.name = q.name
     GROUP BY q.name ORDER BY q.name`);
}
