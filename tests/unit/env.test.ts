import { describe, expect, it } from "vitest";
import { masterKeyringOf, parseEnv, roleFromUrl } from "@/server/env";

const valid = {
  DATABASE_URL: "postgres://ringbearer_app:pw@127.0.0.1:54329/ringbearer",
  RINGBEARER_MASTER_KEY: Buffer.alloc(32, 7).toString("base64"),
  NEXTAUTH_SECRET: "x".repeat(48),
};

describe("configuration", () => {
  it("accepts a complete configuration and defaults the port", () => {
    expect(parseEnv(valid)).toMatchObject({ PORT: 3000 });
  });

  it("names every missing or malformed variable and never echoes a secret", () => {
    const attempt = () =>
      parseEnv({
        DATABASE_URL: "mysql://x",
        RINGBEARER_MASTER_KEY: "not-a-key-but-secret",
        NEXTAUTH_SECRET: "",
      });
    expect(attempt).toThrow(/DATABASE_URL must be a postgres:\/\/ URL/);
    expect(attempt).toThrow(/RINGBEARER_MASTER_KEY must be 32 bytes/);
    expect(attempt).toThrow(/NEXTAUTH_SECRET must be at least 32/);
    expect(attempt).not.toThrow(/not-a-key-but-secret/);
  });

  it("takes the operations webhook's address and secret together, and never echoes the secret", () => {
    const secret = `whsec_${Buffer.alloc(32, 3).toString("base64")}`;
    expect(
      parseEnv({
        ...valid,
        RINGBEARER_OPS_WEBHOOK_URL: "https://pager.example/hook",
        RINGBEARER_OPS_WEBHOOK_SECRET: secret,
      }),
    ).toMatchObject({ RINGBEARER_OPS_WEBHOOK_URL: "https://pager.example/hook" });
    expect(() => parseEnv({ ...valid, RINGBEARER_OPS_WEBHOOK_URL: "https://pager.example/hook" })).toThrow(
      /RINGBEARER_OPS_WEBHOOK_URL and RINGBEARER_OPS_WEBHOOK_SECRET go together/,
    );
    const bad = () =>
      parseEnv({
        ...valid,
        RINGBEARER_OPS_WEBHOOK_URL: "ftp://x",
        RINGBEARER_OPS_WEBHOOK_SECRET: "whsec_short",
      });
    expect(bad).toThrow(/RINGBEARER_OPS_WEBHOOK_URL must be an http\(s\):\/\/ address/);
    expect(bad).toThrow(/RINGBEARER_OPS_WEBHOOK_SECRET must be whsec_/);
    expect(bad).not.toThrow(/whsec_short/);
  });

  it("takes the previous master key during a rotation: a key, and not the current one", () => {
    const previous = Buffer.alloc(32, 9).toString("hex");
    expect(masterKeyringOf(parseEnv({ ...valid, RINGBEARER_MASTER_KEY_PREVIOUS: previous }))).toEqual({
      current: Buffer.alloc(32, 7),
      previous: Buffer.alloc(32, 9),
    });
    expect(
      masterKeyringOf(parseEnv({ ...valid, RINGBEARER_MASTER_KEY_PREVIOUS: "" })).previous,
    ).toBeUndefined();
    expect(() => parseEnv({ ...valid, RINGBEARER_MASTER_KEY_PREVIOUS: "old-secret-not-a-key" })).toThrow(
      /RINGBEARER_MASTER_KEY_PREVIOUS must be 32 bytes/,
    );
    expect(() => parseEnv({ ...valid, RINGBEARER_MASTER_KEY_PREVIOUS: "old-secret-not-a-key" })).not.toThrow(
      /old-secret/,
    );
    // The same key in hex is the same key.
    expect(() =>
      parseEnv({ ...valid, RINGBEARER_MASTER_KEY_PREVIOUS: Buffer.alloc(32, 7).toString("hex") }),
    ).toThrow(/RINGBEARER_MASTER_KEY_PREVIOUS is the same key as RINGBEARER_MASTER_KEY/);
  });

  it("checks the outbound allowlist entry by entry", () => {
    expect(
      parseEnv({ ...valid, RINGBEARER_OUTBOUND_ALLOW: "127.0.0.1, ::1,10.20.0.0/16,receiver.internal" }),
    ).toMatchObject({ RINGBEARER_OUTBOUND_ALLOW: "127.0.0.1, ::1,10.20.0.0/16,receiver.internal" });
    expect(parseEnv({ ...valid, RINGBEARER_OUTBOUND_ALLOW: "" })).toMatchObject({
      RINGBEARER_OUTBOUND_ALLOW: "",
    });
    expect(() => parseEnv({ ...valid, RINGBEARER_OUTBOUND_ALLOW: "127.0.0.1,10.0.0.0/33" })).toThrow(
      /RINGBEARER_OUTBOUND_ALLOW must be a comma-separated list .*"10\.0\.0\.0\/33"/,
    );
  });

  it("checks the trusted proxies setting and names the wrong entry", () => {
    expect(parseEnv({ ...valid, RINGBEARER_TRUSTED_PROXIES: "10.0.0.0/8, ::1" })).toMatchObject({
      RINGBEARER_TRUSTED_PROXIES: "10.0.0.0/8, ::1",
    });
    expect(parseEnv({ ...valid, RINGBEARER_TRUSTED_PROXIES: "1" })).toBeTruthy();
    expect(() => parseEnv({ ...valid, RINGBEARER_TRUSTED_PROXIES: "10.0.0.0/8, proxy.lan" })).toThrow(
      /RINGBEARER_TRUSTED_PROXIES "proxy.lan" is not an IP address or CIDR range/,
    );
  });

  it("reads the role name from a database URL", () => {
    expect(roleFromUrl(valid.DATABASE_URL)).toBe("ringbearer_app");
    expect(roleFromUrl("postgres://127.0.0.1/db")).toBe("postgres");
  });
});
