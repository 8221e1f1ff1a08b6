/**
 * The app for the bench, served as `npm start` serves it (scripts/serve.mts: the client's address from the
 * socket): built first if needed, on a random port, against the database the bench's
 * environment names; a user signed in through next-auth's credentials callback; stopped (and waited for) at
 * the end, so its background jobs never outlive the section that started it.
 */
import { spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";

export type BenchServer = { base: string; cookie: string };

export async function withServer<T>(
  user: { email: string; password: string },
  log: (m: string) => void,
  fn: (server: BenchServer) => Promise<T>,
): Promise<T> {
  if (!existsSync(".next/BUILD_ID")) {
    log("no production build: running next build…");
    spawnSync(process.execPath, ["node_modules/next/dist/bin/next", "build"], { stdio: "inherit" });
  }
  const port = 3400 + Math.floor(Math.random() * 100);
  const base = `http://localhost:${port}`;
  const server = spawn(process.execPath, ["--import", "tsx", "scripts/serve.mts"], {
    env: {
      ...process.env,
      NEXTAUTH_URL: base,
      NEXTAUTH_SECRET: randomBytes(32).toString("base64"),
      PORT: String(port),
    },
    stdio: "ignore",
  });
  try {
    for (let i = 0; i < 120; i++) {
      if ((await fetch(`${base}/api/health`).catch(() => null))?.ok) break;
      await new Promise((r) => setTimeout(r, 500));
    }
    const csrf = await fetch(`${base}/api/auth/csrf`);
    let cookie = csrf.headers
      .getSetCookie()
      .map((c) => c.split(";")[0])
      .join("; ");
    const { csrfToken } = (await csrf.json()) as { csrfToken: string };
    const login = await fetch(`${base}/api/auth/callback/credentials`, {
      method: "POST",
      redirect: "manual",
      headers: { "content-type": "application/x-www-form-urlencoded", cookie },
      body: new URLSearchParams({ csrfToken, email: user.email, password: user.password, json: "true" }),
    });
    cookie = [cookie, ...login.headers.getSetCookie().map((c) => c.split(";")[0])].join("; ");
    return await fn({ base, cookie });
  } finally {
    // Waited for: its background jobs must not touch what the bench does next.
    const exited = new Promise((resolve) => server.once("exit", resolve));
    if (server.exitCode === null && server.signalCode === null && server.kill("SIGTERM")) {
      const stuck = setTimeout(() => server.kill("SIGKILL"), 20_000);
      await exited;
      clearTimeout(stuck);
    }
  }
}
