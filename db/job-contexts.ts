import { sql } from "drizzle-orm";
import { masterKey } from "@/db/vault";
import { jobRunnerProof } from "@/lib/crypto";
import type { Role } from "@/lib/roles";
import type { Database } from "./client";
import { type TenantContext, withContext } from "./context";

/** Who a background job acts as in one organization. */
export type JobContext = { organizationId: string; userId: string };

/**
 * One context per organization for background jobs (`job_contexts(proof)`, migrations 0015 and 0021): an enabled
 * owner, else an admin. Jobs run in it like any request, so row-level security applies; organizations with
 * neither are left out. Only the job runner gets an answer: it proves itself with a key derived from the master
 * key, which SQL run as the app role does not have.
 */
export async function jobContexts(database: Database): Promise<JobContext[]> {
  const rows = await database.execute<{ organization_id: string; user_id: string }>(
    sql`select organization_id, user_id from job_contexts(${jobRunnerProofNow()})`,
  );
  return rows.map((r) => ({ organizationId: r.organization_id, userId: r.user_id }));
}

/** The job runner's proof (migration 0021), for the few functions only it may call (job_contexts, ops_record_alerts). */
export const jobRunnerProofNow = () => jobRunnerProof(masterKey());

/** The context a job of one organization runs in, with the member's role; null when there is none. */
export async function jobContext(database: Database, organizationId: string): Promise<TenantContext | null> {
  const found = (await jobContexts(database)).find((c) => c.organizationId === organizationId);
  if (!found) return null;
  const [row] = await withContext(
    found,
    (tx) => tx.execute<{ role: Role | null }>(sql`select app_role() as role`),
    database,
  );
  return row?.role ? { ...found, role: row.role } : null;
}
