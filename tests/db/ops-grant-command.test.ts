import { spawnSync } from "node:child_process";
import { describe, expect, inject, it } from "vitest";
import { makeOrg } from "./support";

/** `npm run ops:grant` as an operator runs it: the script, with a complete configuration. */
function opsGrant(...args: string[]) {
  const run = spawnSync(
    process.execPath,
    ["node_modules/tsx/dist/cli.mjs", "scripts/ops-grant.mts", ...args],
    {
      encoding: "utf8",
      timeout: 60_000,
      env: {
        NODE_ENV: "test",
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        DATABASE_URL: inject("databaseUrl"),
        DATABASE_OWNER_URL: inject("ownerUrl"),
      },
    },
  );
  return { status: run.status, out: run.stdout, err: run.stderr };
}

describe("npm run ops:grant", () => {
  it("grants, lists and revokes an operator by email, and says plainly what it cannot do", {
    timeout: 120_000,
  }, async () => {
    const org = await makeOrg();
    const { email } = await org.member("on_call");
    const granted = opsGrant(email.toUpperCase());
    expect(granted.status, granted.err).toBe(0);
    expect(granted.out).toContain(`is now an operator: /ops`);
    expect(opsGrant("--list").out).toContain(email);
    expect(opsGrant("--revoke", email).out).toContain(`${email} is no longer an operator.`);
    expect(opsGrant("--list").out).not.toContain(email);

    const unknown = opsGrant("nobody-here@test.example");
    expect(unknown.status).toBe(1);
    expect(unknown.err).toContain("No user has the email nobody-here@test.example");
    for (const bad of [[], ["not-an-email"], ["--list", "a@b.example"]]) {
      const run = opsGrant(...bad);
      expect(run.status, bad.join(" ")).toBe(2);
      expect(run.err).toContain("usage: npm run ops:grant");
    }
  });
});
