/**
 * PostgreSQL settings every connection of the app opens with (sent in its start-up packet, so they bind the app
 * role without ALTER ROLE rights and without a migration). They bound what a stuck or vanished instance can
 * hold: a statement that runs too long, a transaction left idle with its locks, a statement still running for
 * a client that is gone. In seconds; 0 turns one off. See docs/operations.md, "Database restarts and timeouts".
 */
export const SESSION_TIMEOUTS = {
  RINGBEARER_DB_STATEMENT_TIMEOUT: { setting: "statement_timeout", defaultSeconds: 60 },
  RINGBEARER_DB_IDLE_IN_TRANSACTION_TIMEOUT: {
    setting: "idle_in_transaction_session_timeout",
    defaultSeconds: 15,
  },
  RINGBEARER_DB_CLIENT_CHECK_INTERVAL: { setting: "client_connection_check_interval", defaultSeconds: 5 },
} as const;

/** The seconds a variable asks for, or a message saying why it cannot be used. */
export function parseTimeoutSeconds(raw: string | undefined, fallback: number): number | string {
  if (raw === undefined || raw.trim() === "") return fallback;
  if (!/^\d{1,6}$/.test(raw.trim())) return "must be a whole number of seconds (0 turns it off)";
  return Number(raw.trim());
}

/**
 * The connection parameters for these settings (e.g. `{ statement_timeout: "60000" }`, in milliseconds as
 * PostgreSQL takes them); throws naming the variable when one is not a number of seconds.
 */
export function sessionTimeouts(env: Record<string, string | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [variable, { setting, defaultSeconds }] of Object.entries(SESSION_TIMEOUTS)) {
    const seconds = parseTimeoutSeconds(env[variable], defaultSeconds);
    if (typeof seconds === "string") throw new Error(`${variable} ${seconds}`);
    out[setting] = String(seconds * 1000);
  }
  return out;
}
