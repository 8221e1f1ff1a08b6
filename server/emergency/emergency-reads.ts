import "server-only";
import type { TenantContext } from "@/db/context";
import { openReviewRows } from "@/db/repos/emergency";
import { can } from "@/lib/policy";

/**
 * Emergency changes not yet acknowledged, oldest first, with what changed (hashes only) and why. Reviewers and
 * audit readers (on-call among them) see every open item; anyone else only their own, waiting for a reviewer.
 * A session that changed nothing appears once, as `session_ended`.
 */
export async function openEmergencyReviews(ctx: TenantContext) {
  const everyone = can(ctx.role, "approvals:decide") || can(ctx.role, "audit:read");
  const rows = await openReviewRows(ctx, everyone ? null : { actorId: ctx.userId });
  return rows.map(({ details, ...r }) => {
    const ended = r.resourceType === "session" && (details as { ended?: boolean }).ended === true;
    return {
      ...r,
      kind: ended ? ("session_ended" as const) : ("change" as const),
      summary: ended
        ? `Emergency access to ${r.environment ?? "an environment"} ended without changes`
        : null,
    };
  });
}
