/**
 * `npm start` and `npm run dev` on a Node.js older than package.json's engines.node stop at once with one line
 * naming the version needed, and exit with 1, before anything else (tsx, the database, Next) is loaded.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, realpathSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { atLeast, requiredNode } from "@/scripts/node-version.mjs";

const required = requiredNode({});
const scripts = JSON.parse(readFileSync("package.json", "utf8")).scripts as Record<string, string>;

/** Every `node` on PATH (e.g. Debian's /usr/bin/node 20 where CI put Node 22 first) older than required. */
function olderNodes(): { bin: string; version: string }[] {
  let found: string[] = [];
  try {
    found = execFileSync("which", ["-a", "node"], { encoding: "utf8" }).split("\n").filter(Boolean);
  } catch {
    return [];
  }
  const seen = new Set<string>();
  const older: { bin: string; version: string }[] = [];
  for (const bin of found) {
    const real = realpathSync(bin);
    if (seen.has(real)) continue;
    seen.add(real);
    const version = spawnSync(real, ["-p", "process.versions.node"], { encoding: "utf8" }).stdout?.trim();
    if (version && !atLeast(version, required)) older.push({ bin: real, version });
  }
  return older;
}

/** Runs an npm script's command line (`exec node <args>`) with this node binary. */
function runScript(name: "start" | "dev", node: string, env: Record<string, string> = {}) {
  const match = /^exec node (.+)$/.exec(scripts[name]);
  if (!match) throw new Error(`npm run ${name} is not "exec node …": ${scripts[name]}`);
  return spawnSync(node, match[1].split(" "), {
    encoding: "utf8",
    timeout: 50_000,
    env: {
      NODE_ENV: "test",
      PATH: process.env.PATH ?? "",
      HOME: process.env.HOME ?? "",
      // Were the check missing, start would stop at its configuration instead (no master key), not start a
      // database here: the data folder below stays absent either way.
      DATABASE_URL: "postgres://nobody@127.0.0.1:1/none",
      RINGBEARER_DATA_DIR: dataDir,
      ...env,
    },
  });
}

const scratch = mkdtempSync(path.join(os.tmpdir(), "rb-node-check-"));
const dataDir = path.join(scratch, "data");
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe("npm start on an older Node.js", () => {
  // Where no older Node is installed, the current one stands in, with the requirement raised above it.
  const older = olderNodes();
  const cases: { what: string; node: string; version: string; env: Record<string, string> }[] = older.length
    ? older.map((o) => ({ what: `Node ${o.version} at ${o.bin}`, node: o.bin, version: o.version, env: {} }))
    : [
        {
          what: `Node ${process.versions.node} with the requirement raised above it`,
          node: process.execPath,
          version: process.versions.node,
          env: { RINGBEARER_TEST_REQUIRED_NODE: `${Number(process.versions.node.split(".")[0]) + 1}.0` },
        },
      ];

  for (const c of cases) {
    for (const script of ["start", "dev"] as const) {
      it(`npm run ${script} stops at once with one line naming the version (${c.what})`, {
        timeout: 30_000,
      }, () => {
        const run = runScript(script, c.node, c.env);
        const needed = c.env.RINGBEARER_TEST_REQUIRED_NODE ?? required;
        expect(run.stderr).toBe(`Ringbearer needs Node.js ${needed} or newer (this is ${c.version})\n`);
        expect(run.stdout).toBe("");
        expect(run.status).toBe(1);
        expect(existsSync(dataDir)).toBe(false);
      });
    }
  }

  it("starts past the check on this Node, which is new enough", { timeout: 60_000 }, () => {
    // The requirement lowered to this very version: the check passes and start goes on to its configuration.
    const run = runScript("start", process.execPath, {
      RINGBEARER_TEST_REQUIRED_NODE: process.versions.node,
    });
    expect(run.stderr).not.toMatch(/needs Node\.js/);
    expect(run.stderr).toMatch(/RINGBEARER_MASTER_KEY/);
    expect(run.status).toBe(1);
  });
});
