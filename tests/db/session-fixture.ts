import { sql } from "drizzle-orm";
import { type RequestContext, withContext } from "@/db/context";
import { sessions } from "@/db/schema";
import { rawSql } from "./support";

/** A signed-in session for the context's user, verified just now (as right after sign-in). */
export async function withSession<C extends RequestContext>(ctx: C): Promise<C & { sessionId: string }> {
  const [row] = await withContext({ userId: ctx.userId }, (tx) =>
    tx
      .insert(sessions)
      .values({ userId: ctx.userId, expiresAt: sql`now() + interval '12 hours'` })
      .returning({ id: sessions.id }),
  );
  return { ...ctx, sessionId: row.id };
}

/** Moves a session's last verification `minutes` into the past (as if signed in that long ago). */
export async function ageVerification(sessionId: string, minutes: number) {
  const s = rawSql("super");
  try {
    await s`update sessions set verified_at = now() - make_interval(mins => ${minutes}) where id = ${sessionId}`;
  } finally {
    await s.end();
  }
}

/** What the database holds for a session (as the superuser, to see past RLS). */
export async function sessionRow(sessionId: string) {
  const s = rawSql("super");
  try {
    const [row] = await s<{ verified_at: Date; mfa: boolean }[]>`
      select verified_at, mfa from sessions where id = ${sessionId}`;
    return row;
  } finally {
    await s.end();
  }
}
