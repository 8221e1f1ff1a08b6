import "server-only";
import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { getServerSession } from "next-auth";
import { cache } from "react";
import { type TenantContext, withContext } from "@/db/context";
import { liveEmergencySession } from "@/db/repos/emergency";
import { membershipFor } from "@/db/repos/memberships";
import { isOperator } from "@/db/repos/operators";
import { AppError } from "@/lib/errors";
import { authOptions } from "@/server/auth/next-auth";
import { clientInfo } from "./client-info";

export type CurrentUser = { id: string; name: string; email: string; sessionId: string };

/**
 * The signed-in user whose server-side session is live, or null. Cached per page render (see memberContextOf).
 * When the session could not be checked (the database is down) it throws `unavailable:database` — never null,
 * which would send a signed-in user to the sign-in page.
 */
export const currentUser = cache(async (): Promise<CurrentUser | null> => {
  const session = await getServerSession(authOptions);
  if (session?.unverified) throw new AppError(session.unverified);
  if (!session?.user?.id || !session.sid) return null;
  return {
    id: session.user.id,
    name: session.user.name ?? "",
    email: session.user.email ?? "",
    sessionId: session.sid,
  };
});

/** The client's address (never a client-supplied header: see server/client-info.ts) and user agent. */
export async function requestInfo() {
  const h = await headers();
  return clientInfo((name) => h.get(name));
}

export type Member = TenantContext & {
  user: CurrentUser;
  org: { slug: string; name: string; timeZone: string };
  /** The caller's live break-glass session, if any: its id goes into every transaction's context. */
  emergency: {
    id: string;
    environment: string;
    environmentId: string;
    reason: string;
    expiresAt: Date;
  } | null;
};

/** Resolves the caller's membership of an organization (by slug), or null if there is none. */
export const memberContext = cache(async (slug: string): Promise<Member | null> => {
  const user = await currentUser();
  return user ? memberContextOf(user, slug) : null;
});

/**
 * The same for a user the caller has already resolved. React's `cache` memoizes only while a page renders:
 * a route handler that called `currentUser()` and then `memberContext()` verified the session twice.
 */
export async function memberContextOf(user: CurrentUser, slug: string): Promise<Member | null> {
  const m = await membershipFor(user.id, slug);
  if (!m) return null;
  const info = await requestInfo();
  const emergency = await withContext({ userId: user.id, organizationId: m.organizationId }, (tx) =>
    liveEmergencySession(tx, { userId: user.id, organizationId: m.organizationId }),
  );
  return {
    userId: user.id,
    sessionId: user.sessionId,
    organizationId: m.organizationId,
    role: m.role,
    ...info,
    ...(emergency ? { emergencySessionId: emergency.id } : {}),
    user,
    org: { slug, name: m.name, timeZone: m.timeZone },
    emergency,
  };
}

/** For pages: the member context, or a redirect to sign in / a 404 for organizations the user is not in. */
export async function requireMember(slug: string): Promise<Member> {
  const user = await currentUser();
  if (!user) redirect("/login");
  const member = await memberContext(slug);
  if (!member) redirect("/");
  return member;
}

/**
 * The signed-in installation operator (`npm run ops:grant`), or null for anyone else: what the operator
 * console's layout and each of its pages ask (Next renders a page beside its layout, so each asks itself).
 */
export const currentOperator = cache(async (): Promise<CurrentUser | null> => {
  const user = await currentUser();
  if (!user) return null;
  return (await withContext({ userId: user.id }, isOperator)) ? user : null;
});
