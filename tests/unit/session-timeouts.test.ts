import { describe, expect, it } from "vitest";
import { sessionTimeouts } from "@/lib/db/session-timeouts";
import { parseEnv } from "@/server/env";

describe("the database session timeouts", () => {
  it("default to 60 s per statement, 15 s idle in a transaction and a 5 s check for a vanished client", () => {
    expect(sessionTimeouts({})).toEqual({
      statement_timeout: "60000",
      idle_in_transaction_session_timeout: "15000",
      client_connection_check_interval: "5000",
    });
  });

  it("take whole seconds from RINGBEARER_DB_*, 0 turning one off", () => {
    expect(
      sessionTimeouts({
        RINGBEARER_DB_STATEMENT_TIMEOUT: "120",
        RINGBEARER_DB_IDLE_IN_TRANSACTION_TIMEOUT: "0",
        RINGBEARER_DB_CLIENT_CHECK_INTERVAL: " 2 ",
      }),
    ).toEqual({
      statement_timeout: "120000",
      idle_in_transaction_session_timeout: "0",
      client_connection_check_interval: "2000",
    });
  });

  it("refuse anything else at start, naming the variable", () => {
    expect(() => sessionTimeouts({ RINGBEARER_DB_STATEMENT_TIMEOUT: "30s" })).toThrow(
      /RINGBEARER_DB_STATEMENT_TIMEOUT must be a whole number of seconds/,
    );
    const base = {
      DATABASE_URL: "postgres://app@localhost/db",
      RINGBEARER_MASTER_KEY: "a".repeat(64),
      NEXTAUTH_SECRET: "s".repeat(32),
    };
    expect(() => parseEnv({ ...base, RINGBEARER_DB_CLIENT_CHECK_INTERVAL: "-1" })).toThrow(
      /RINGBEARER_DB_CLIENT_CHECK_INTERVAL must be a whole number of seconds/,
    );
    expect(parseEnv({ ...base, RINGBEARER_DB_IDLE_IN_TRANSACTION_TIMEOUT: "30" })).toBeTruthy();
  });
});
