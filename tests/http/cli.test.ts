/**
 * The `ringbearer` CLI (cli/ringbearer.mjs) as a pipeline runs it, against the production build: export in
 * each format read back by a real reader, `run` with the values in the child's environment, its exit code and
 * signals, and the encrypted offline snapshot — used when the console is unreachable, refused when too old,
 * never plaintext on disk.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { createServer, request as httpRequest } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, inject, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { withContext } from "@/db/context";
import { parseDotenv } from "@/lib/dotenv";
import { serviceTokenInput } from "@/lib/validation/tokens";
import { createServiceToken } from "@/server/tokens/service-tokens";
import { setValue } from "@/server/values/values";
import { createVariable } from "@/server/variables/variables";
import { makeOrg, type TestOrg } from "../db/support";
import { freePort } from "./app-server";
import { cli } from "./cli-process";

const VALUES = {
  DATABASE_URL: "postgres://app:s3cret@db.internal:5432/app?sslmode=require",
  QUOTED: `it's "quoted" $HOME \`date\``,
  MULTI_LINE: "line one\nline two",
  EMPTY_LOOKING: "no",
};

describe("the ringbearer CLI", () => {
  let org: TestOrg;
  let env: Record<string, string>;
  let cache: string;

  beforeAll(async () => {
    org = await makeOrg();
    await withContext(org.owner, async (tx) => {
      for (const [name, value] of Object.entries(VALUES)) {
        const v = await createVariable(tx, org.owner, {
          name,
          variableType: "configuration",
          securityClassification: "internal",
          isRequired: false,
          isWeddingCritical: false,
          tags: [],
        });
        await setValue(tx, org.owner, {
          variableId: v.id,
          environmentId: org.env.staging,
          value,
          expectedVersion: 0,
        });
      }
    });
    const { token } = await withContext(org.owner, (tx) =>
      createServiceToken(
        tx,
        org.owner,
        serviceTokenInput.parse({ name: "cli", environments: ["staging"], access: "read" }),
      ),
    );
    cache = mkdtempSync(join(tmpdir(), "rb-cli-"));
    env = { RINGBEARER_URL: inject("baseUrl"), RINGBEARER_TOKEN: token, RINGBEARER_CACHE_DIR: cache };
  }, 60_000);

  it("lists the environments the token may read, and only those", async () => {
    const envs = await cli(["envs"], env);
    expect(envs.code, envs.stderr).toBe(0);
    expect(envs.stdout).toBe("staging\tstaging\n");
    const me = await cli(["whoami"], env);
    expect(me.code, me.stderr).toBe(0);
    expect(me.stdout).toContain(`organization ${org.slug}\nenvironments staging\naccess read\n`);
    expect(me.stdout).not.toContain(env.RINGBEARER_TOKEN);
  });

  it("exports each format, read back to the same values by its own reader", async () => {
    const dotenv = await cli(["export", "--env", "staging", "--format", "dotenv"], env);
    expect(dotenv.code, dotenv.stderr).toBe(0);
    expect(Object.fromEntries(parseDotenv(dotenv.stdout).entries.map((e) => [e.key, e.value]))).toEqual(
      VALUES,
    );
    const json = await cli(["export", "--env", "staging", "--format", "json"], env);
    expect(JSON.parse(json.stdout)).toEqual(VALUES);
    const yaml = await cli(["export", "-e", "staging", "-f", "yaml"], env);
    expect(parseYaml(yaml.stdout)).toEqual(VALUES);
    const docker = await cli(["export", "-e", "staging", "-f", "docker"], env);
    expect(docker.code).toBe(1);
    expect(docker.stderr).toMatch(/line break.*MULTI_LINE/);
    expect(docker.stderr).not.toContain("line two");
    const bad = await cli(["export", "-e", "staging", "-f", "toml"], env);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/toml/);
  });

  it("runs as `npx ringbearer` from a clone, with the project's semver version", async () => {
    const { version } = JSON.parse(readFileSync("package.json", "utf8")) as { version: string };
    const ran = spawnSync("npx", ["--no-install", "ringbearer", "--version"], { encoding: "utf8" });
    expect(ran.status, ran.stderr).toBe(0);
    expect(ran.stdout.trim()).toBe(version);
    expect(version).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it("refuses to send the token in clear to another machine, or without one, before starting anything", async () => {
    const clear = await cli(
      ["run", "-e", "staging", "--", process.execPath, "-e", "console.log('started')"],
      {
        ...env,
        RINGBEARER_URL: "http://console.example",
      },
    );
    expect(clear.code).toBe(1);
    expect(clear.stdout).toBe("");
    expect(clear.stderr).toMatch(/must be https:\/\//);
    const none = await cli(["export", "-e", "staging"], { ...env, RINGBEARER_TOKEN: "" });
    expect(none.code).toBe(1);
    expect(none.stderr).toMatch(/Set RINGBEARER_TOKEN/);
    const revoked = await cli(["export", "-e", "staging"], {
      ...env,
      RINGBEARER_TOKEN: `rb_st_${"A".repeat(38)}`,
    });
    expect(revoked.code).toBe(1);
    expect(revoked.stderr).toMatch(/\(token_invalid\)/);
  });

  it("runs a command with the values in its environment and exits with its code", async () => {
    const ran = await cli(
      [
        "run",
        "--env",
        "staging",
        "--",
        process.execPath,
        "-e",
        "console.log(process.env.QUOTED); process.exit(3)",
      ],
      env,
    );
    expect(ran.code, ran.stderr).toBe(3);
    expect(ran.stdout).toBe(`${VALUES.QUOTED}\n`);
    // Nowhere to keep a snapshot (the cache folder is a file): the command still runs, and stderr says so.
    const file = join(mkdtempSync(join(tmpdir(), "rb-cli-")), "not-a-folder");
    writeFileSync(file, "");
    const noCache = await cli(["run", "-e", "staging", "--", process.execPath, "-e", "process.exit(0)"], {
      ...env,
      RINGBEARER_CACHE_DIR: file,
    });
    expect(noCache.code).toBe(0);
    expect(noCache.stderr).toMatch(/could not keep an offline snapshot/);
  });

  it("forwards a signal to the command", async () => {
    const ran = await cli(
      [
        "run",
        "--env",
        "staging",
        "--",
        process.execPath,
        "-e",
        'process.on("SIGTERM", () => { console.log("child got SIGTERM"); process.exit(7) }); console.log("ready"); setInterval(() => {}, 1000)',
      ],
      env,
      (child) => {
        child.stdout?.on("data", (d: Buffer) => {
          if (d.toString().includes("ready")) child.kill("SIGTERM");
        });
      },
    );
    expect(ran.stdout).toContain("child got SIGTERM");
    expect(ran.code).toBe(7);
  });

  it("uses a fresh snapshot when the console is unreachable, refuses a stale one, and writes no plaintext", async () => {
    const proxy = await forwardingProxy(env.RINGBEARER_URL);
    const own = mkdtempSync(join(tmpdir(), "rb-cli-"));
    const via = { ...env, RINGBEARER_URL: proxy.url, RINGBEARER_CACHE_DIR: own };
    const printQuoted = [process.execPath, "-e", "console.log(process.env.QUOTED)"];
    const first = await cli(["run", "-e", "staging", "--", ...printQuoted], via);
    expect(first.code, first.stderr).toBe(0);
    const files = readdirSync(own);
    expect(files).toHaveLength(1);
    const file = join(own, files[0]);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(own).mode & 0o777).toBe(0o700);
    const raw = readFileSync(file);
    // Texts long enough not to turn up in ciphertext by chance (the two bytes of "no" did, once in CI).
    const secrets = [...Object.values(VALUES), "DATABASE_URL", "staging", env.RINGBEARER_TOKEN];
    for (const text of secrets.filter((t) => t.length >= 7))
      expect(raw.includes(Buffer.from(text)), text).toBe(false);

    // The console goes away: nothing answers at its address any more.
    await proxy.close();
    const offline = await cli(["run", "-e", "staging", "--", ...printQuoted], via);
    expect(offline.code, offline.stderr).toBe(0);
    expect(offline.stdout).toBe(`${VALUES.QUOTED}\n`);
    expect(offline.stderr).toMatch(/unreachable.*using the snapshot of staging from \d+ s ago/);
    const stale = await cli(["run", "-e", "staging", "--max-age", "0s", "--", ...printQuoted], via);
    expect(stale.code).toBe(1);
    expect(stale.stdout).toBe("");
    expect(stale.stderr).toMatch(/snapshot of staging is .* old \(more than --max-age 0 s\)/);
    // Another token finds nothing to open, and export never falls back.
    const otherToken = await cli(["run", "-e", "staging", "--", ...printQuoted], {
      ...via,
      RINGBEARER_TOKEN: `rb_st_${"A".repeat(38)}`,
    });
    expect(otherToken.code).toBe(1);
    expect(otherToken.stderr).toMatch(/no snapshot/);
    const exported = await cli(["export", "-e", "staging"], via);
    expect(exported.code).toBe(1);
    expect(exported.stderr).toMatch(/Cannot export: the console at .* is unreachable/);
  });
});

/** A plain HTTP forwarder to the console, to take away at will (the console itself keeps serving the suite). */
async function forwardingProxy(target: string): Promise<{ url: string; close: () => Promise<void> }> {
  const upstream = new URL(target);
  const sockets = new Set<import("node:net").Socket>();
  const server = createServer((req, res) => {
    const out = httpRequest(
      {
        host: upstream.hostname,
        port: upstream.port,
        path: req.url,
        method: req.method,
        headers: req.headers,
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    out.on("error", () => res.destroy());
    req.pipe(out);
  });
  server.on("connection", (s) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });
  const port = await freePort();
  await new Promise<void>((r) => server.listen(port, "127.0.0.1", () => r()));
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  };
}
