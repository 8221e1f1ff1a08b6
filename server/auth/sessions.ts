import type { Tx } from "@/db/client";
import type { TenantContext } from "@/db/context";
import { liveSessionsOf, revokeOwnSessions } from "@/db/repos/sessions";
import { AppError } from "@/lib/errors";
import { writeAudit } from "@/server/audit/audit";

/** The caller's live sessions (row-level security shows only one's own), newest first. */
export async function mySessions(tx: Tx, userId: string) {
  return liveSessionsOf(tx, userId);
}

/** Signs out one of your sessions, or every one but the current (`others`). Audited. */
export async function revokeMySessions(
  tx: Tx,
  ctx: TenantContext,
  input: { sessionId?: string; others?: boolean },
) {
  if (!input.sessionId && !input.others) throw new AppError("validation", { form: ["Choose a session"] });
  const revoked = await revokeOwnSessions(
    tx,
    ctx.userId,
    input.sessionId ? { sessionId: input.sessionId } : { exceptId: ctx.sessionId ?? "" },
  );
  if (input.sessionId && revoked.length === 0) throw new AppError("not_found");
  await writeAudit(tx, ctx, {
    action: "logout",
    resourceType: "session",
    resourceId: input.sessionId ?? null,
    details: { revoked_sessions: revoked.length, others: Boolean(input.others) },
  });
  return { revoked: revoked.length };
}
