import { readFileSync } from "node:fs";
import postgres from "postgres";

/**
 * A superuser connection to the e2e server's own embedded database (`e2e/server.mjs`: `.data/e2e`), for what
 * a browser cannot do deterministically: make a session's last verification old, clean up after a spec.
 */
export async function asSuperuser<T>(fn: (sql: postgres.Sql) => Promise<T>): Promise<T> {
  const sql = superuserConnection();
  try {
    return await fn(sql);
  } finally {
    await sql.end();
  }
}

/** One connection of its own (the caller ends it), as the superuser or the app role: e.g. a session left idle. */
export function superuserConnection(as: "superuser" | "app" = "superuser"): postgres.Sql {
  const { superPassword, appPassword } = JSON.parse(readFileSync(".data/e2e/secrets.json", "utf8")) as {
    superPassword: string;
    appPassword: string;
  };
  const port = process.env.E2E_PG_PORT ?? "54400";
  const who = as === "app" ? `ringbearer_app:${appPassword}` : `postgres:${superPassword}`;
  return postgres(`postgres://${who}@127.0.0.1:${port}/ringbearer`, { max: 1, onnotice: () => {} });
}
