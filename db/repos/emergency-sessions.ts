import { and, eq, gt, isNull, sql } from "drizzle-orm";
import type { Tx } from "@/db/client";
import { emergencyReviews, emergencySessions } from "@/db/schema";

type Owner = { organizationId: string; userId: string };

/** Ends the user's live emergency sessions in the organization; returns the ended ones. */
export async function endLiveSessions(tx: Tx, owner: Owner) {
  return tx
    .update(emergencySessions)
    .set({ endedAt: new Date() })
    .where(
      and(
        eq(emergencySessions.organizationId, owner.organizationId),
        eq(emergencySessions.userId, owner.userId),
        isNull(emergencySessions.endedAt),
        gt(emergencySessions.expiresAt, new Date()),
      ),
    )
    .returning({ id: emergencySessions.id, environmentId: emergencySessions.environmentId });
}

/** How many review items (emergency changes) a session opened. */
export async function sessionReviewCount(tx: Tx, organizationId: string, sessionId: string) {
  const [{ changes }] = await tx
    .select({ changes: sql<number>`count(*)::int` })
    .from(emergencyReviews)
    .where(
      and(
        eq(emergencyReviews.organizationId, organizationId),
        eq(emergencyReviews.emergencySessionId, sessionId),
      ),
    );
  return changes;
}

/** Sets the transaction's `app.emergency_session_id` (the review trigger names the session from it). */
export async function setEmergencySessionSetting(tx: Tx, id: string) {
  return tx.execute(sql`select set_config('app.emergency_session_id', ${id}, true)`);
}

/** Whether the environment is locked now (wedding hours), as the database decides it. */
export async function environmentLocked(tx: Tx, environmentId: string): Promise<boolean> {
  const [lock] = await tx.execute<{ locked: boolean }>(
    sql`select app_env_locked(${environmentId}) as locked`,
  );
  return lock.locked;
}

/** A new emergency session from now for `minutes`. */
export async function insertEmergencySession(
  tx: Tx,
  row: Owner & { environmentId: string; reason: string; minutes: number },
) {
  const [session] = await tx
    .insert(emergencySessions)
    .values({
      organizationId: row.organizationId,
      userId: row.userId,
      environmentId: row.environmentId,
      reason: row.reason,
      startedAt: sql`now()`,
      expiresAt: sql`now() + make_interval(mins => ${row.minutes})`,
    })
    .returning({ id: emergencySessions.id, expiresAt: emergencySessions.expiresAt });
  return session;
}

/** Marks an open review item acknowledged by someone other than its actor; nothing if that does not hold. */
export async function acknowledgeReview(tx: Tx, by: Owner, input: { id: string; note: string | null }) {
  const [row] = await tx
    .update(emergencyReviews)
    .set({ acknowledgedBy: by.userId, acknowledgedAt: new Date(), note: input.note })
    .where(
      and(
        eq(emergencyReviews.id, input.id),
        eq(emergencyReviews.organizationId, by.organizationId),
        isNull(emergencyReviews.acknowledgedAt),
        sql`${emergencyReviews.actorId} is distinct from ${by.userId}`,
      ),
    )
    .returning({ id: emergencyReviews.id, auditId: emergencyReviews.auditId });
  return row;
}

/** The review item if this user made the change it reviews. */
export async function reviewByActor(tx: Tx, id: string, actorId: string) {
  const [mine] = await tx
    .select({ id: emergencyReviews.id })
    .from(emergencyReviews)
    .where(and(eq(emergencyReviews.id, id), eq(emergencyReviews.actorId, actorId)));
  return mine;
}
