import "server-only";
import type { NextAuthOptions, Session } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { getDb } from "@/db/client";
import { isDatabaseUnavailable } from "@/db/errors";
import { safeCallbackPath } from "@/lib/safe-callback";
import { revokeSession, SESSION_LIMITS, touchSession } from "@/server/auth/auth";
import { authorizeCredentials } from "@/server/auth/sign-in";
import { clientInfo } from "@/server/client-info";
import { log } from "@/server/log";

declare module "next-auth" {
  interface Session {
    user?: { id: string; name?: string | null; email?: string | null };
    sid?: string;
    /**
     * Set when the session could not be checked (the database did not answer): the caller is neither signed
     * in nor signed out, and the cookie stays. `currentUser()` turns it into that error.
     */
    unverified?: "unavailable:database" | "internal";
  }
  interface User {
    sid?: string;
  }
}
declare module "next-auth/jwt" {
  interface JWT {
    uid?: string;
    sid?: string;
  }
}

const header = (headers: Record<string, unknown> | undefined) => (name: string) => {
  const v = headers?.[name];
  return typeof v === "string" ? v : undefined;
};

/**
 * next-auth Credentials (id `credentials`, fields `email`, `password` and, for users with two-factor
 * authentication, `totp`) with JWT sessions backed by a server-side session row: every session read checks
 * the row, so logout and revocation apply at once.
 */
export const authOptions: NextAuthOptions = {
  session: { strategy: "jwt", maxAge: SESSION_LIMITS.absoluteHours * 3600 },
  pages: { signIn: "/login" },
  providers: [
    CredentialsProvider({
      id: "credentials",
      name: "Email and password",
      credentials: {
        email: { label: "Email", type: "email" },
        password: { label: "Password", type: "password" },
        totp: { label: "Authentication code", type: "text" },
      },
      // Every refusal is thrown as one fixed code — invalid, rate_limited, totp_required, totp_invalid,
      // unavailable — which next-auth puts in the `error` parameter. Never a driver's message.
      async authorize(credentials, req) {
        const outcome = await authorizeCredentials(getDb(), credentials, clientInfo(header(req.headers)));
        if (!outcome.ok) throw new Error(outcome.code);
        return outcome.user;
      },
    }),
  ],
  callbacks: {
    // Only a same-origin path is followed after signing in or out (no open redirect).
    async redirect({ url, baseUrl }) {
      return new URL(safeCallbackPath(url, [baseUrl]), baseUrl).toString();
    },
    async jwt({ token, user }) {
      if (user) {
        token.uid = user.id;
        token.sid = user.sid;
      }
      return token;
    },
    async session({ session, token }): Promise<Session> {
      if (!token.uid || !token.sid) return { expires: session.expires };
      let live: boolean;
      try {
        live = await touchSession(getDb(), token.uid, token.sid);
      } catch (error) {
        // Not "signed out": the cookie is kept (a thrown error here would make next-auth delete it) and the
        // caller is told the session could not be checked.
        const unavailable = isDatabaseUnavailable(error);
        log.error({ err: unavailable ? { code: "unavailable:database" } : error }, "session check failed");
        return { expires: session.expires, unverified: unavailable ? "unavailable:database" : "internal" };
      }
      if (!live) return { expires: session.expires };
      return { ...session, user: { ...session.user, id: token.uid }, sid: token.sid };
    },
  },
  events: {
    async signOut({ token }) {
      if (token?.uid && token.sid) await revokeSession(getDb(), token.uid, token.sid);
    },
  },
};
