/**
 * `ringbearer login` and `logout` against the production build: the CLI shows a code, a member approves it (the
 * console's own service, as its page does), the CLI receives a personal token, keeps it only for its owner (0600)
 * and works without RINGBEARER_TOKEN; logout revokes it. A denied login ends the CLI with a clear message.
 */
import type { ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, inject, it } from "vitest";
import { withContext } from "@/db/context";
import { decideLogin } from "@/server/tokens/cli-login";
import { makeOrg, type TestOrg } from "../db/support";
import { cli, type Ran } from "./cli-process";

/** Starts `ringbearer login`; resolves with the code it shows, and with how it ended. */
function startLogin(env: Record<string, string>) {
  let child: ChildProcess | undefined;
  const ended = cli(["login", "--name", "ci-box"], env, (c) => {
    child = c;
  });
  const code = new Promise<string>((resolve, reject) => {
    let seen = "";
    child?.stderr?.on("data", (d: Buffer) => {
      seen += d;
      const m = /code ([A-Z]{4}-[A-Z]{4})/.exec(seen);
      if (m) resolve(m[1]);
    });
    ended.then((r: Ran) => reject(new Error(`login ended before showing a code: ${r.stderr}`)));
  });
  return { code, ended };
}

describe("ringbearer login", () => {
  let org: TestOrg;
  let env: Record<string, string>;
  let config: string;

  beforeAll(async () => {
    org = await makeOrg();
    config = mkdtempSync(join(tmpdir(), "rb-login-"));
    env = {
      RINGBEARER_URL: inject("baseUrl"),
      RINGBEARER_TOKEN: "",
      RINGBEARER_CONFIG_DIR: join(config, "ringbearer"),
    };
  });

  it("receives a personal token once approved, keeps it for its owner only, and revokes it at logout", async () => {
    const before = await cli(["whoami"], env);
    expect([before.code, before.stderr]).toEqual([1, expect.stringMatching(/or run ringbearer login/)]);
    const { code, ended } = startLogin(env);
    const shown = await code;
    const developer = await org.member("developer");
    await withContext(developer, (tx) =>
      decideLogin(tx, developer, { code: shown, approve: true, environments: ["staging"], access: "read" }),
    );
    const done = await ended;
    expect(done.code, done.stderr).toBe(0);
    expect(done.stderr).toContain(`${inject("baseUrl")}/cli-login?code=${shown}`);
    expect(done.stdout).toMatch(new RegExp(`^Signed in to ${org.slug}: read on staging, until \\d{4}-`));
    expect(done.stdout + done.stderr).not.toMatch(/rb_st_/);

    const file = join(env.RINGBEARER_CONFIG_DIR, "credentials.json");
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(env.RINGBEARER_CONFIG_DIR).mode & 0o777).toBe(0o700);
    const kept = JSON.parse(readFileSync(file, "utf8"))[inject("baseUrl")] as { token: string };
    expect(kept.token).toMatch(/^rb_st_/);

    const me = await cli(["whoami"], env);
    expect(me.code, me.stderr).toBe(0);
    expect(me.stdout).toContain(`organization ${org.slug}\nenvironments staging\naccess read\n`);
    expect((await cli(["envs"], env)).stdout).toBe("staging\tstaging\n");

    const out = await cli(["logout"], env);
    expect([out.code, out.stdout]).toEqual([0, "signed out: the token is revoked\n"]);
    expect(JSON.parse(readFileSync(file, "utf8"))).toEqual({});
    // The token itself no longer works anywhere.
    const reused = await cli(["whoami"], { ...env, RINGBEARER_TOKEN: kept.token });
    expect([reused.code, reused.stderr]).toEqual([1, expect.stringMatching(/token_revoked/)]);
  }, 60_000);

  it("ends with a clear message when the login is denied", async () => {
    const { code, ended } = startLogin(env);
    const shown = await code;
    await withContext(org.owner, (tx) =>
      decideLogin(tx, org.owner, { code: shown, approve: false, environments: [], access: "read" }),
    );
    const done = await ended;
    expect([done.code, done.stderr.split("\n").at(-2)]).toEqual([
      1,
      "ringbearer: The login was denied in the console.",
    ]);
    expect(() => readFileSync(join(env.RINGBEARER_CONFIG_DIR, "credentials.json"), "utf8")).not.toThrow();
  }, 60_000);
});
