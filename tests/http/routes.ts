/**
 * API routes of the production build: listed from `.next/server/app-paths-manifest.json`, and their
 * methods from the app itself (Next answers OPTIONS with the `Allow` header of a route's exports).
 */
import { readFileSync } from "node:fs";
import { fillPath, type PathParams } from "./actions";
import type { HttpSession } from "./session";

export type RouteEntry = {
  /** e.g. `/api/o/[org]/audit/export` */
  template: string;
  /** Its source file, e.g. `app/api/o/[org]/audit/export/route.ts` (set by listRoutes). */
  source?: string;
};

/** Every route handler (each `route.ts` under `app/`) of the build. */
export function listRoutes(): RouteEntry[] {
  const manifest = JSON.parse(readFileSync(".next/server/app-paths-manifest.json", "utf8")) as Record<
    string,
    string
  >;
  return Object.keys(manifest)
    .filter((k) => k.endsWith("/route"))
    .map((k) => ({
      source: `app${k}.ts`,
      template: k
        .replace(/\/route$/, "")
        .split("/")
        .filter((s) => !/^\(.*\)$/.test(s) && !s.startsWith("@"))
        .join("/"),
    }))
    .sort((a, b) => a.template.localeCompare(b.template));
}

/** Every page of the build (`page.tsx`), as path templates such as `/o/[org]/variables/[id]`. */
export function listPages(): string[] {
  const manifest = JSON.parse(readFileSync(".next/server/app-paths-manifest.json", "utf8")) as Record<
    string,
    string
  >;
  return Object.keys(manifest)
    .filter((k) => k.endsWith("/page") && !k.startsWith("/_"))
    .map((k) => {
      const path = k
        .replace(/\/page$/, "")
        .split("/")
        .filter((s) => s && !/^\(.*\)$/.test(s) && !s.startsWith("@"))
        .join("/");
      return `/${path}`;
    })
    .sort();
}

/** The methods a route implements (from OPTIONS → Allow), without OPTIONS and HEAD themselves. */
export async function routeMethods(session: HttpSession, path: string): Promise<string[]> {
  const answer = await session.request(path, { method: "OPTIONS" });
  const allow = answer.headers.get("allow");
  if (!allow) throw new Error(`OPTIONS ${path} gave no Allow header (${answer.status})`);
  return allow
    .split(",")
    .map((m) => m.trim().toUpperCase())
    .filter((m) => m && m !== "OPTIONS" && m !== "HEAD");
}

export function routePath(route: RouteEntry, params: PathParams): string {
  return fillPath(route.template, params);
}
