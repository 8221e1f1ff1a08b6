/**
 * Server actions of the production build, called over HTTP exactly as the browser calls them.
 *
 * - `listActions()` reads `.next/server/server-reference-manifest.json`: every action's id, file, export
 *   name and a page path to POST to (derived from the pages that import it), so a new action is listed
 *   without touching a test.
 * - `callAction()` encodes the arguments with React's own `encodeReply` (the copy Next ships for the bundler
 *   the build used), POSTs them with `Next-Action`, the app's Origin and the session's cookies, and decodes
 *   the Flight answer back to the action's return value with React's client.
 */
import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { Readable } from "node:stream";
import type { Answer, HttpSession } from "./session";

export type ActionEntry = {
  id: string;
  /** Source file, e.g. `server/actions/variables.ts`. */
  filename: string;
  exportedName: string;
  /** The page path template to POST to, e.g. `/o/[org]/variables`; null when none could be derived. */
  page: string | null;
  /** Why `page` is null. */
  problem?: string;
};

/** Values for the dynamic segments of page and route paths (`[org]`, `[id]`, `[token]`, `[...nextauth]`). */
export type PathParams = Record<string, string>;

const bundler = () => (existsSync(".next/turbopack") ? "turbopack" : "webpack");
const requireHere = createRequire(import.meta.url);

type FlightClient = {
  encodeReply: (value: unknown) => Promise<string | FormData>;
  createFromNodeStream: (stream: Readable, manifest: unknown) => Promise<unknown>;
};

let flight: FlightClient | undefined;
function flightClient(): FlightClient {
  if (flight) return flight;
  // Client references in a re-rendered page are only resolved, never loaded: the decoder needs these hooks
  // to exist (a browser has them from the bundler runtime), not to do anything.
  const g = globalThis as Record<string, unknown>;
  g.__next_chunk_load__ ??= () => Promise.resolve();
  g.__next_require__ ??= () => ({});
  // The production build of the client, like the server's: the development one expects debug rows.
  const name = `react-server-dom-${bundler()}`;
  flight = requireHere(`next/dist/compiled/${name}/cjs/${name}-client.node.production.js`) as FlightClient;
  return flight;
}

/** `app/(console)/o/[org]/access/page` → `/o/[org]/access`; null for a worker that is not a page. */
export function pageOfWorker(worker: string): string | null {
  const m = /^app(\/.*)?\/page$/.exec(worker);
  if (!m) return null;
  const segments = (m[1] ?? "").split("/").filter((s) => s && !/^\(.*\)$/.test(s) && !s.startsWith("@"));
  return `/${segments.join("/")}`;
}

/** Fills `[name]` segments from params; throws for a segment it has no value for (or a catch-all). */
export function fillPath(template: string, params: PathParams): string {
  return template.replace(/\[\[?(\.\.\.)?([^\]]+)\]\]?/g, (_all, _rest, name: string) => {
    const value = params[name];
    if (value === undefined) throw new Error(`No value for the path segment [${name}] of ${template}`);
    return value;
  });
}

/** Every server action of the build, with the page (fewest dynamic segments first) it can be posted to. */
export function listActions(): ActionEntry[] {
  const manifest = JSON.parse(readFileSync(".next/server/server-reference-manifest.json", "utf8")) as {
    node: Record<string, { workers: Record<string, unknown>; filename: string; exportedName: string }>;
    edge?: Record<string, unknown>;
  };
  if (manifest.edge && Object.keys(manifest.edge).length > 0)
    throw new Error("Edge server actions are not covered by this harness");
  return Object.entries(manifest.node)
    .map(([id, entry]) => {
      const pages = Object.keys(entry.workers)
        .map(pageOfWorker)
        .filter((p): p is string => p !== null)
        .sort((a, b) => (a.match(/\[/g)?.length ?? 0) - (b.match(/\[/g)?.length ?? 0) || a.length - b.length);
      return {
        id,
        filename: entry.filename,
        exportedName: entry.exportedName,
        page: pages[0] ?? null,
        ...(pages[0]
          ? {}
          : { problem: `no page among its workers: ${Object.keys(entry.workers).join(", ")}` }),
      };
    })
    .sort((a, b) => `${a.filename}#${a.exportedName}`.localeCompare(`${b.filename}#${b.exportedName}`));
}

export type ActionAnswer = Answer & {
  /** The action's return value (`{ ok, data } | { ok: false, error }` for this app's actions). */
  result?: unknown;
  /** Set when the action threw instead of returning (Next answers 500 with the error's digest). */
  thrown?: unknown;
};

/** Decodes a Flight answer of an action to its return value (or what it threw). */
export async function decodeActionAnswer(answer: Answer): Promise<Pick<ActionAnswer, "result" | "thrown">> {
  if (!answer.headers.get("content-type")?.startsWith("text/x-component")) return {};
  const root = (await flightClient().createFromNodeStream(Readable.from([Buffer.from(answer.body)]), {
    moduleMap: null,
    serverModuleMap: null,
    moduleLoading: null,
  })) as { a?: unknown };
  try {
    return { result: await root.a };
  } catch (thrown) {
    return { thrown };
  }
}

export type CallOptions = {
  /** Where to POST (default: the action's page with `params` filled in). */
  path?: string;
  params?: PathParams;
  /** Send this body instead of encoding `args` (for malformed requests), with this content type. */
  raw?: { body: BodyInit; contentType?: string };
  /** Extra headers; `"next-action": ""` leaves the action header out. */
  headers?: Record<string, string>;
};

/** Calls an action with `args` as the browser would, and decodes the answer. */
export async function callAction(
  session: HttpSession,
  action: ActionEntry,
  args: unknown[],
  options: CallOptions = {},
): Promise<ActionAnswer> {
  if (!options.path && !action.page)
    throw new Error(`${action.filename}#${action.exportedName}: ${action.problem}`);
  const path = options.path ?? fillPath(action.page as string, options.params ?? {});
  const headers: Record<string, string> = {
    accept: "text/x-component",
    "next-action": action.id,
    ...options.headers,
  };
  // `next-action: ""` in options.headers: post it as a form does before JavaScript loaded (no header).
  if (headers["next-action"] === "") delete headers["next-action"];
  let body: BodyInit;
  if (options.raw) {
    body = options.raw.body;
    if (options.raw.contentType) headers["content-type"] = options.raw.contentType;
  } else {
    const encoded = await flightClient().encodeReply(args);
    body = encoded;
    if (typeof encoded === "string") headers["content-type"] = "text/plain;charset=UTF-8";
  }
  const answer = await session.request(path, { method: "POST", headers, body });
  return { ...answer, ...(await decodeActionAnswer(answer)) };
}

/** Encodes arguments as the browser would (a string, or FormData when any argument needs it). */
export function encodeArgs(args: unknown[]): Promise<string | FormData> {
  return flightClient().encodeReply(args);
}
