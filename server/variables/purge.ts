import type { Database } from "@/db/client";
import { withContext } from "@/db/context";
import { jobContexts } from "@/db/job-contexts";
import { purgeDeletedVariables } from "@/db/repos/variable-rows";

/**
 * The purge job: for every organization, destroys the encrypted values and history of variables soft-deleted
 * more than 90 days ago (`purge_deleted_variables()`, audited). Each purge runs in the organization's job
 * context (an owner, else an admin: `job_contexts()`), so row-level security applies as for any request.
 */
export async function purgeAllOrganizations(
  database: Database,
): Promise<{ organizations: number; purged: number }> {
  const contexts = await jobContexts(database);
  let purged = 0;
  for (const ctx of contexts) {
    purged += await withContext(ctx, (tx) => purgeDeletedVariables(tx), database);
  }
  return { organizations: contexts.length, purged };
}
