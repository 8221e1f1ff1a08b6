import { and, eq, gt, isNull, ne, sql } from "drizzle-orm";
import type { Tx } from "@/db/client";
import type { TenantContext } from "@/db/context";
import { sessions } from "@/db/schema";
import { AppError } from "@/lib/errors";
import { writeAudit } from "@/server/audit/audit";

/** The caller's live sessions (row-level security shows only one's own), newest first. */
export async function mySessions(tx: Tx, userId: string) {
  return tx
    .select({
      id: sessions.id,
      createdAt: sessions.createdAt,
      lastSeenAt: sessions.lastSeenAt,
      expiresAt: sessions.expiresAt,
      ipAddress: sessions.ipAddress,
      userAgent: sessions.userAgent,
      mfa: sessions.mfa,
    })
    .from(sessions)
    .where(and(eq(sessions.userId, userId), isNull(sessions.revokedAt), gt(sessions.expiresAt, sql`now()`)))
    .orderBy(sql`${sessions.lastSeenAt} desc`);
}

/** Signs out one of your sessions, or every one but the current (`others`). Audited. */
export async function revokeMySessions(
  tx: Tx,
  ctx: TenantContext,
  input: { sessionId?: string; others?: boolean },
) {
  if (!input.sessionId && !input.others) throw new AppError("validation", { form: ["Choose a session"] });
  const revoked = await tx
    .update(sessions)
    .set({ revokedAt: sql`now()` })
    .where(
      and(
        eq(sessions.userId, ctx.userId),
        isNull(sessions.revokedAt),
        input.sessionId ? eq(sessions.id, input.sessionId) : ne(sessions.id, ctx.sessionId ?? ""),
      ),
    )
    .returning({ id: sessions.id });
  if (input.sessionId && revoked.length === 0) throw new AppError("not_found");
  await writeAudit(tx, ctx, {
    action: "logout",
    resourceType: "session",
    resourceId: input.sessionId ?? null,
    details: { revoked_sessions: revoked.length, others: Boolean(input.others) },
  });
  return { revoked: revoked.length };
}
