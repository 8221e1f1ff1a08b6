import { and, eq, gt, isNull, ne, sql } from "drizzle-orm";
import type { Tx } from "@/db/client";
import { sessions, users } from "@/db/schema";

/** Server-side session rows behind the JWT (RLS shows a user only their own). */

/** Opens a session lasting `hours` from now: its id. */
export async function insertSession(
  tx: Tx,
  values: { userId: string; hours: number; ipAddress: string | null; userAgent: string | null; mfa: boolean },
) {
  const [row] = await tx
    .insert(sessions)
    .values({
      userId: values.userId,
      expiresAt: sql`now() + make_interval(hours => ${values.hours})`,
      ipAddress: values.ipAddress,
      userAgent: values.userAgent,
      mfa: values.mfa,
    })
    .returning({ id: sessions.id });
  return row.id;
}

/**
 * Marks the session used now if it is not revoked, not past its expiry and used within `idleMinutes`: whether
 * it was.
 */
export async function touchLiveSession(tx: Tx, userId: string, sessionId: string, idleMinutes: number) {
  const [row] = await tx
    .update(sessions)
    .set({ lastSeenAt: sql`now()` })
    .where(
      and(
        eq(sessions.id, sessionId),
        eq(sessions.userId, userId),
        isNull(sessions.revokedAt),
        gt(sessions.expiresAt, sql`now()`),
        gt(sessions.lastSeenAt, sql`now() - make_interval(mins => ${idleMinutes})`),
      ),
    )
    .returning({ id: sessions.id });
  return Boolean(row);
}

/** Revokes one session (if not already revoked). */
export async function revokeSessionRow(tx: Tx, sessionId: string) {
  await tx
    .update(sessions)
    .set({ revokedAt: sql`now()` })
    .where(and(eq(sessions.id, sessionId), isNull(sessions.revokedAt)));
}

/** The user's live sessions, most recently used first. */
export async function liveSessionsOf(tx: Tx, userId: string) {
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

/** Revokes one of the user's sessions (`sessionId`), or every one but `exceptId`: the ids revoked. */
export async function revokeOwnSessions(
  tx: Tx,
  userId: string,
  which: { sessionId: string } | { exceptId: string },
) {
  return tx
    .update(sessions)
    .set({ revokedAt: sql`now()` })
    .where(
      and(
        eq(sessions.userId, userId),
        isNull(sessions.revokedAt),
        "sessionId" in which ? eq(sessions.id, which.sessionId) : ne(sessions.id, which.exceptId),
      ),
    )
    .returning({ id: sessions.id });
}

/** Revokes every live session of a user, stamped with the app's clock: the ids revoked. */
export async function revokeAllSessionsOf(tx: Tx, userId: string) {
  return tx
    .update(sessions)
    .set({ revokedAt: new Date() })
    .where(and(eq(sessions.userId, userId), isNull(sessions.revokedAt)))
    .returning({ id: sessions.id });
}

/** The session has just proved who it is (and, `withCode`, its second factor). */
export async function markSessionVerified(tx: Tx, userId: string, sessionId: string, withCode: boolean) {
  await tx
    .update(sessions)
    .set({ verifiedAt: sql`now()`, ...(withCode ? { mfa: true } : {}) })
    .where(and(eq(sessions.id, sessionId), eq(sessions.userId, userId), isNull(sessions.revokedAt)));
}

/** When the live session last proved who it is, the database's now, and whether its user has TOTP on. */
export async function sessionVerification(tx: Tx, userId: string, sessionId: string) {
  const [row] = await tx
    .select({
      verifiedAt: sessions.verifiedAt,
      now: sql`now()`.mapWith(sessions.verifiedAt),
      totpEnabledAt: users.totpEnabledAt,
    })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(and(eq(sessions.id, sessionId), eq(sessions.userId, userId), isNull(sessions.revokedAt)));
  return row;
}
