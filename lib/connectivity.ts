import net from "node:net";
import postgres from "postgres";

export type ProbeResult = { status: "passed" | "failed" | "warning"; message: string; ms: number };

const DEFAULT_PORTS: Record<string, number> = {
  "postgres:": 5432,
  "postgresql:": 5432,
  "mysql:": 3306,
  "mariadb:": 3306,
  "redis:": 6379,
  "rediss:": 6380,
  "mongodb:": 27017,
};

/** Why a connection failed, in words that never include the URL, the user or the password. */
function reason(error: unknown): string {
  const e = error as { code?: string; errno?: string };
  switch (e?.code ?? e?.errno) {
    case "ECONNREFUSED":
      return "Connection refused: nothing is listening on that host and port";
    case "ENOTFOUND":
    case "EAI_AGAIN":
      return "Host not found (DNS)";
    case "CONNECT_TIMEOUT":
    case "ETIMEDOUT":
      return "Timed out";
    case "28P01":
    case "28000":
      return "Reached the server, but it refused the credentials";
    case "3D000":
      return "Reached the server, but the database does not exist";
    default:
      return `Could not connect (${e?.code ?? "error"})`;
  }
}

function tcp(host: string, port: number, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host, port });
    const fail = (error: Error & { code?: string }) => {
      socket.destroy();
      reject(error);
    };
    socket.setTimeout(timeoutMs, () => fail(Object.assign(new Error("timeout"), { code: "ETIMEDOUT" })));
    socket.once("error", fail);
    socket.once("connect", () => {
      socket.end();
      resolve();
    });
  });
}

/**
 * The on-demand connectivity check for database URLs: PostgreSQL gets a real login and `select 1`; other
 * databases a TCP connection to their host and port. Short timeout; the message never contains the URL.
 */
export async function probeDatabaseUrl(raw: string, timeoutMs = 3000): Promise<ProbeResult> {
  const started = performance.now();
  const done = (status: ProbeResult["status"], message: string): ProbeResult => ({
    status,
    message,
    ms: Math.round(performance.now() - started),
  });
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    return done("failed", "Not a URL");
  }
  const port = Number(url.port) || DEFAULT_PORTS[url.protocol];
  if (!url.hostname || !port)
    return done("warning", `No network check for ${url.protocol.replace(":", "")} URLs`);
  try {
    if (url.protocol === "postgres:" || url.protocol === "postgresql:") {
      const sql = postgres(raw.trim(), {
        max: 1,
        connect_timeout: Math.ceil(timeoutMs / 1000),
        idle_timeout: 1,
        onnotice: () => {},
        connection: { application_name: "ringbearer-connectivity-check" },
      });
      try {
        await sql`select 1`;
      } finally {
        await sql.end({ timeout: 1 }).catch(() => {});
      }
      return done("passed", "Connected and ran select 1");
    }
    await tcp(url.hostname, port, timeoutMs);
    return done("passed", "The host accepts connections on its port (TCP)");
  } catch (error) {
    return done("failed", reason(error));
  }
}
