import "server-only";
import type { NextAuthOptions, Session } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { getDb } from "@/db/client";
import { login, revokeSession, SESSION_LIMITS, touchSession } from "@/db/mutations/auth";
import { hasUnsafeCharacters } from "@/lib/validation/characters";
import { log } from "./log";

declare module "next-auth" {
  interface Session {
    user?: { id: string; name?: string | null; email?: string | null };
    sid?: string;
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

const header = (headers: Record<string, unknown> | undefined, name: string) => {
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
      async authorize(credentials, req) {
        const email = credentials?.email ?? "";
        const password = credentials?.password ?? "";
        const totp = credentials?.totp ?? "";
        if (!email || !password || email.length > 320 || password.length > 1024 || totp.length > 32)
          return null;
        // A NUL byte or a broken Unicode character cannot be a stored email or password: refused like a
        // wrong one, before the database (which would answer with an error naming the query).
        if ([email, password, totp].some(hasUnsafeCharacters)) return null;
        const forwarded = header(req.headers, "x-forwarded-for")?.split(",")[0]?.trim();
        const result = await login(getDb(), {
          email,
          password,
          totp,
          ip: forwarded || header(req.headers, "x-real-ip"),
          userAgent: header(req.headers, "user-agent")?.slice(0, 500),
        });
        if (!result.ok) {
          if (result.reason === "totp_required")
            log.info({ event: "login_code_required" }, "sign-in needs a code");
          else log.info({ event: "login_failed", reason: result.reason }, "sign-in refused");
          // These reach the sign-in form as `error`: it then asks for the code, or says it was wrong.
          if (result.reason !== "invalid") throw new Error(result.reason);
          return null;
        }
        return { ...result.user, sid: result.sessionId };
      },
    }),
  ],
  callbacks: {
    async jwt({ token, user }) {
      if (user) {
        token.uid = user.id;
        token.sid = user.sid;
      }
      return token;
    },
    async session({ session, token }): Promise<Session> {
      if (!token.uid || !token.sid) return { expires: session.expires };
      const live = await touchSession(getDb(), token.uid, token.sid).catch((error: unknown) => {
        log.error({ err: error }, "session check failed");
        return false;
      });
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
