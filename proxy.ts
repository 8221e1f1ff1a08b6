import type { NextFetchEvent } from "next/server";
import { NextResponse } from "next/server";
import { type NextRequestWithAuth, withAuth } from "next-auth/middleware";
import { refuseMalformedRequest } from "@/server/request-guard";

/** Anonymous visitors to the console are sent to the sign-in page; the server re-checks every session. */
const signInFirst = withAuth({ pages: { signIn: "/login" } });

const isConsole = (path: string) => path === "/" || path === "/o" || path.startsWith("/o/");

export default async function proxy(request: NextRequestWithAuth, event: NextFetchEvent) {
  // Malformed URLs and server action bodies are refused here with a 4xx; Next.js would answer 500.
  const refused = await refuseMalformedRequest(request);
  if (refused) return refused;
  return isConsole(request.nextUrl.pathname) ? signInFirst(request, event) : NextResponse.next();
}

export const config = { matcher: ["/((?!_next/static|_next/image|favicon.ico).*)"] };
