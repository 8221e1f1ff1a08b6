/** `npm run ops:erase` as an operator runs it: the script on the owner's connection (docs/operations.md). */
import { spawnSync } from "node:child_process";
import { describe, expect, inject, it } from "vitest";
import { withContext } from "@/db/context";
import { act, auditRows, chainOf, sqlEmail } from "./erasure-fixture";
import { makeOrg, rawSql } from "./support";

function opsErase(...args: string[]) {
  const run = spawnSync(
    process.execPath,
    ["node_modules/tsx/dist/cli.mjs", "scripts/ops-erase.mts", ...args],
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

describe("npm run ops:erase", () => {
  it("erases by address on the owner's connection, logs the person's id (not their address), and refuses plainly", {
    timeout: 120_000,
  }, async () => {
    const a = await makeOrg();
    const member = await a.member("developer");
    await act(member, "192.0.2.44");
    const run = opsErase(member.email.toUpperCase());
    expect(run.status, run.err).toBe(0);
    expect(run.out).toContain(`Erased ${member.userId}: left 1 organization(s)`);
    expect(JSON.stringify(await auditRows(a.id))).not.toContain("192.0.2.44");
    expect(await chainOf(a)).toMatchObject({ brokenSeq: null });
    const su = rawSql("super");
    try {
      const events = await su`select subject from ops_events where action = 'user.erase'`;
      expect(events.map((e) => e.subject)).toContain(member.userId);
      expect(JSON.stringify(events)).not.toContain(member.email);
    } finally {
      await su.end();
    }
    const again = opsErase(member.email);
    expect(again.status).toBe(1);
    expect(again.err).toContain("No account has the address");
    const loner = await makeOrg();
    const ownerEmail = await withContext(
      loner.owner,
      async (tx) => (await tx.execute<{ email: string }>(sqlEmail(loner.owner.userId)))[0].email,
    );
    const refused = opsErase(ownerEmail);
    expect(refused.status).toBe(1);
    expect(refused.err).toContain(`only owner of an organization`);
    expect(refused.err).toContain(loner.slug);
    expect(opsErase().status).toBe(2);
    expect(opsErase("not-an-address").status).toBe(2);
  });
});
