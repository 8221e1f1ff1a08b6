import postgres from "postgres";
import { guardedSocket, type Resolver } from "./net/guarded-connect";
import { type Allowlist, EMPTY_ALLOWLIST } from "./net/outbound-policy";

export type ProbeResult = { status: "passed" | "failed" | "warning"; message: string; ms: number };

export type ProbeOptions = {
  /** Default 3 s. Every failure answers after the whole timeout, so timing does not tell them apart. */
  timeoutMs?: number;
  /** Hosts and ranges opened beyond public addresses (RINGBEARER_OUTBOUND_ALLOW); none by default. */
  allow?: Allowlist;
  /** For tests: how host names resolve. */
  resolve?: Resolver;
};

const DEFAULT_PORTS: Record<string, number> = {
  "postgres:": 5432,
  "postgresql:": 5432,
  "mysql:": 3306,
  "mariadb:": 3306,
  "redis:": 6379,
  "rediss:": 6380,
  "mongodb:": 27017,
};

/** The one answer for a refused address, an unknown host, a closed port and a host that never answers. */
export const COULD_NOT_CONNECT = "Could not connect";

/**
 * Why a connection failed, in words that never include the URL, the user or the password. Only a server that
 * was reached and answered as PostgreSQL gets a more precise message.
 */
function reason(error: unknown): string {
  switch ((error as { code?: string })?.code) {
    case "28P01":
    case "28000":
      return "Reached the server, but it refused the credentials";
    case "3D000":
      return "Reached the server, but the database does not exist";
    default:
      return COULD_NOT_CONNECT;
  }
}

/**
 * The on-demand connectivity check for database URLs: PostgreSQL gets a real login and `select 1`; other
 * databases a TCP connection to their host and port. Under the outbound policy (lib/net): only public
 * addresses unless allowlisted, checked on the address the socket connects to. A refused address, an unknown
 * host, a closed port and a filtered one all answer "Could not connect" after the full timeout, so the check
 * is no port scanner. The message never contains the URL.
 */
export async function probeDatabaseUrl(raw: string, options: ProbeOptions = {}): Promise<ProbeResult> {
  const { timeoutMs = 3000, allow = EMPTY_ALLOWLIST, resolve } = options;
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    return { status: "failed", message: "Not a URL", ms: elapsed() };
  }
  const port = Number(url.port) || DEFAULT_PORTS[url.protocol];
  if (!url.hostname || !port)
    return {
      status: "warning",
      message: `No network check for ${url.protocol.replace(":", "")} URLs`,
      ms: elapsed(),
    };
  const signal = AbortSignal.timeout(timeoutMs);
  const connect = () => guardedSocket(url.hostname, port, allow, { resolve, signal });
  try {
    if (url.protocol === "postgres:" || url.protocol === "postgresql:") {
      const settings = {
        max: 1,
        connect_timeout: Math.ceil(timeoutMs / 1000),
        idle_timeout: 1,
        onnotice: () => {},
        connection: { application_name: "ringbearer-connectivity-check" },
        // postgres.js's documented custom socket (absent from its types): the only way this client connects,
        // to the checked address of the URL's host (whatever host list or socket path postgres.js reads from
        // the URL), with the name kept for TLS verification.
        socket: async () => Object.assign(await connect(), { host: url.hostname.replace(/^\[|\]$/g, "") }),
      };
      const sql = postgres(raw.trim(), settings);
      try {
        await sql`select 1`;
      } finally {
        await sql.end({ timeout: 1 }).catch(() => {});
      }
      return { status: "passed", message: "Connected and ran select 1", ms: elapsed() };
    }
    (await connect()).end();
    return { status: "passed", message: "The host accepts connections on its port (TCP)", ms: elapsed() };
  } catch (error) {
    const remaining = timeoutMs - (performance.now() - started);
    if (remaining > 0) await new Promise((done) => setTimeout(done, remaining));
    return { status: "failed", message: reason(error), ms: elapsed() };
  }
}
