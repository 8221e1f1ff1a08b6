/**
 * Starts the production build (`.next`) of Ringbearer as a real HTTP server for the `http` test project.
 * The one place that knows how the app is served: switch `command` here if `npm start` changes.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { createServer } from "node:net";

export type AppServer = {
  /** e.g. http://127.0.0.1:41234 (also the app's NEXTAUTH_URL, so the Origin of a browser request). */
  url: string;
  /** The server's output so far (stdout and stderr), for a failing test's message. */
  output: () => string;
  stop: () => Promise<void>;
};

/** A port nobody listens on right now (the OS picks it). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.unref();
    probe.on("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address();
      probe.close(() => (typeof address === "object" && address ? resolve(address.port) : reject()));
    });
  });
}

export type AppProcess = {
  child: ChildProcess;
  /** Everything it printed so far (stdout and stderr). */
  output: () => string;
  /** Resolves with its exit code (or the signal that ended it) once it has exited. */
  exited: Promise<number | NodeJS.Signals | null>;
};

/**
 * The production build behind scripts/serve.mts, as `npm start` serves it, with the given environment on
 * `port`, without waiting for it: for tests of how it starts and stops.
 */
export function spawnApp(
  env: Record<string, string>,
  port: number,
  url: string,
  how: "serve" | "next start" = "serve",
): AppProcess {
  if (!existsSync(".next/BUILD_ID"))
    throw new Error("No production build in .next: run `npx next build` first (npm test does).");
  const args =
    how === "serve"
      ? ["--import", "tsx", "scripts/serve.mts"]
      : ["node_modules/next/dist/bin/next", "start", "-p", String(port), "-H", "127.0.0.1"];
  const child: ChildProcess = spawn(process.execPath, args, {
    env: { ...process.env, NODE_ENV: "production", PORT: String(port), NEXTAUTH_URL: url, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-200_000);
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  const exited = new Promise<number | NodeJS.Signals | null>((resolve) =>
    child.once("exit", (code, signal) => resolve(code ?? signal)),
  );
  return { child, output: () => output, exited };
}

/**
 * The production build, served as `npm start` serves it, on a free port with the given environment (DATABASE_URL and friends), resolved once
 * `/api/health` answers 200. Fails with the server's output if it exits or does not answer in time.
 */
export async function startApp(
  env: Record<string, string>,
  opts: { timeoutMs?: number; how?: "serve" | "next start" } = {},
) {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const { child, output, exited } = spawnApp(env, port, url, opts.how);

  const deadline = Date.now() + (opts.timeoutMs ?? 90_000);
  for (;;) {
    if (child.exitCode !== null) throw new Error(`The app exited (${child.exitCode}):\n${output()}`);
    const ok = await fetch(`${url}/api/health`)
      .then((r) => r.status === 200)
      .catch(() => false);
    if (ok) break;
    if (Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`The app did not answer /api/health in time:\n${output()}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }

  return {
    url,
    output,
    pid: child.pid as number,
    exited,
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
      await exited;
      clearTimeout(timer);
    },
  } satisfies AppServer & Record<string, unknown>;
}
