/**
 * Starting and stopping the production build (issue 12, findings 5 and 6): it refuses a master key that
 * does not match the database, stops within seconds while a live-update stream is open, and `npm start`
 * leaves no server or embedded PostgreSQL behind when it is killed with -9.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { describe, expect, inject, it } from "vitest";
import { keyFingerprint, parseMasterKey } from "@/lib/crypto";
import { freePort, spawnApp, startApp } from "./app-server";
import { alive, descendants, listening, within } from "./processes";
import { HttpSession } from "./session";

/** Waits until the process exits (its code) or answers /api/health with 200 ("served"). */
async function exitOrServe(app: ReturnType<typeof spawnApp>, url: string, ms = 90_000) {
  let code: number | NodeJS.Signals | null | undefined;
  void app.exited.then((c) => {
    code = c;
  });
  await within(ms, "the app exits or serves", async () => {
    if (code !== undefined) return true;
    return fetch(`${url}/api/health`)
      .then((r) => r.status === 200)
      .catch(() => false);
  });
  if (code === undefined) {
    app.child.kill("SIGKILL");
    return "served" as const;
  }
  return code;
}

const keyForms = (key: string) => {
  const raw = parseMasterKey(key);
  return [raw.toString("base64"), raw.toString("hex")];
};

describe("the master key at start", () => {
  it("refuses another master key than the database's: exits non-zero naming the mismatch by fingerprint, never the key", async () => {
    const env = inject("appEnv");
    const wrong = randomBytes(32).toString("base64");
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const app = spawnApp({ ...env, RINGBEARER_MASTER_KEY: wrong }, port, url);
    const outcome = await exitOrServe(app, url);
    const output = app.output();
    expect(outcome, output).toBe(1);
    expect(output).toMatch(/RINGBEARER_MASTER_KEY does not match this database/);
    expect(output).toContain(keyFingerprint(parseMasterKey(env.RINGBEARER_MASTER_KEY)));
    expect(output).toContain(keyFingerprint(parseMasterKey(wrong)));
    for (const secret of [...keyForms(wrong), ...keyForms(env.RINGBEARER_MASTER_KEY)])
      expect(output).not.toContain(secret);
  });

  it("refuses a malformed master key with a message naming the variable, not its value", async () => {
    const env = inject("appEnv");
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const malformed = "not-a-key-but-a-password-1234";
    const app = spawnApp({ ...env, RINGBEARER_MASTER_KEY: malformed }, port, url);
    const outcome = await exitOrServe(app, url);
    const output = app.output();
    expect(outcome, output).toBe(1);
    expect(output).toMatch(/RINGBEARER_MASTER_KEY must be 32 bytes, base64 \(44 characters\) or hex/);
    expect(output).not.toContain(malformed);
  });
});

describe("stopping the server", () => {
  it.each([
    ["as npm start serves it (scripts/serve.mts)", "serve", 0],
    ["under next start", "next start", 143],
  ] as const)(
    "%s: exits within 10 s of SIGTERM while a live-update stream is open, and ends the stream",
    async (_name, how, exitCode) => {
      const app = await startApp(inject("appEnv"), { how });
      try {
        const admin = await HttpSession.signIn("admin@demo.test", "ringbearer-demo", {}, app.url);
        const stream = await fetch(`${app.url}/api/o/demo/events`, {
          headers: { cookie: admin.cookieHeader(), origin: app.url },
        });
        expect(stream.headers.get("content-type")).toMatch(/^text\/event-stream/);
        const reader = (stream.body as ReadableStream<Uint8Array>).getReader();
        const first = new TextDecoder().decode((await reader.read()).value);
        expect(first).toContain("retry:");
        const ended = reader.read().then(
          (r) => r.done,
          () => true,
        );

        const started = performance.now();
        process.kill(app.pid, "SIGTERM");
        const timer = setTimeout(() => process.kill(app.pid, "SIGKILL"), 30_000);
        const code = await app.exited;
        clearTimeout(timer);
        const seconds = (performance.now() - started) / 1000;
        console.log(`[lifecycle] ${how}: SIGTERM with a live stream open: exited in ${seconds.toFixed(1)} s`);
        expect(seconds, app.output()).toBeLessThan(10);
        expect(code).toBe(exitCode);
        expect(await ended).toBe(true); // the stream was closed, not left hanging
        expect(app.output()).not.toMatch(/\bundefined\b/);
      } finally {
        await app.stop();
      }
    },
  );
});

/** `npm start`'s environment for a fresh embedded database in `dataDir` (nothing inherited from the suite). */
function startEnv(dataDir: string, port: number, pgPort: number) {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    RINGBEARER_DATA_DIR: dataDir,
    RINGBEARER_PG_PORT: String(pgPort),
    PORT: String(port),
    RINGBEARER_SEED_WEDDING_WINDOW: "false",
    NODE_ENV: "production",
  };
  for (const name of [
    "DATABASE_URL",
    "DATABASE_OWNER_URL",
    "DATABASE_MONITOR_URL",
    "RINGBEARER_MASTER_KEY",
    "NEXTAUTH_SECRET",
    "NEXTAUTH_URL",
  ])
    delete env[name];
  return env;
}

type Started = { child: ChildProcess; output: () => string; exited: Promise<number | null> };

function run(command: string, args: string[], env: NodeJS.ProcessEnv): Started {
  const child: ChildProcess = spawn(command, args, { env, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout?.on("data", (c: Buffer) => {
    output += c.toString();
  });
  child.stderr?.on("data", (c: Buffer) => {
    output += c.toString();
  });
  const exited = new Promise<number | null>((resolve) =>
    child.once("exit", (code: number | null) => resolve(code)),
  );
  return { child, output: () => output, exited };
}

const postmasterPid = (dataDir: string) =>
  Number(readFileSync(path.join(dataDir, "pg", "postmaster.pid"), "utf8").split("\n")[0]);

describe("npm start, killed with -9", () => {
  it("takes its server and the embedded PostgreSQL with it within seconds, prints no 'undefined', and the next start works", async () => {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), "ringbearer-start-"));
    const [port, pgPort] = [await freePort(), await freePort()];
    const env = startEnv(dataDir, port, pgPort);
    const starts: number[] = [];
    const running = async (s: Started) =>
      starts.push(
        await within(150_000, `npm start serves:\n${s.output()}`, () => /is running at/.test(s.output())),
      );
    // The start script gives its server 5 s, then the database 5 s (scripts/start.mts, local-db.mts): both
    // bounded, whatever the load, so everything is gone within 12 s.
    const gone = async (s: Started, pids: number[], what: string) => {
      const ms = await within(
        12_000,
        `${what}: ${pids.filter(alive).join(", ")} still running\n${s.output()}`,
        async () => pids.every((p) => !alive(p)) && !(await listening(port)) && !(await listening(pgPort)),
      );
      return ms;
    };
    const timings: number[] = [];
    const seen: number[] = []; // every process this test started, to clean up after a failure
    try {
      // 1. `npm start` itself killed: npm is gone at once; the start script, its server and PostgreSQL follow.
      const npm = run("npm", ["start", "--silent"], env);
      await running(npm);
      const tree = [...descendants(npm.child.pid as number), postmasterPid(dataDir)];
      seen.push(...tree);
      expect(tree.length).toBeGreaterThanOrEqual(3);
      npm.child.kill("SIGKILL");
      timings.push(await gone(npm, tree, "after kill -9 of npm start"));

      // 2. The start script killed directly (its server and PostgreSQL notice), on the same data folder.
      const start = run(process.execPath, ["--import", "tsx", "scripts/start.mts"], env);
      seen.push(start.child.pid as number);
      await running(start);
      // A second start on a folder in use says why it cannot start, never "undefined".
      const second = run(process.execPath, ["--import", "tsx", "scripts/start.mts"], {
        ...env,
        PORT: String(await freePort()),
      });
      seen.push(second.child.pid as number);
      expect(await second.exited, second.output()).not.toBe(0);
      expect(second.output()).toMatch(/embedded PostgreSQL did not start/);
      expect(second.output()).not.toMatch(/\bundefined\b/);

      const started = [...descendants(start.child.pid as number), postmasterPid(dataDir)];
      seen.push(...started);
      start.child.kill("SIGKILL");
      timings.push(await gone(start, started, "after kill -9 of the start script"));
      for (const s of [npm, start]) expect(s.output()).not.toMatch(/\bundefined\b/);
      console.log(
        `[lifecycle] gone after kill -9 in ${timings.map((t) => Math.round(t)).join(" ms, ")} ms; starts took ${starts.map((t) => (t / 1000).toFixed(1)).join(" s, ")} s`,
      );
    } finally {
      for (const pid of seen) if (alive(pid)) process.kill(pid, "SIGKILL");
      await rm(dataDir, { recursive: true, force: true });
    }
  }, 180_000);
});
