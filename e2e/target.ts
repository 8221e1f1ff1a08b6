import { type ChildProcess, spawn } from "node:child_process";

/**
 * Runs the reference receiver as a deployment would (`npm run target`), on a free port, with the secret in
 * its environment; resolves with its URL once it listens.
 */
export function startTargetReceiver(
  file: string,
  secret: string,
): Promise<{ url: string; close: () => Promise<void> }> {
  // Its own process group: npx starts tsx, which starts node; closing stops all of them.
  const child: ChildProcess = spawn("npx", ["tsx", "scripts/target.mts", "--port", "0", "--file", file], {
    env: { ...process.env, RINGBEARER_TARGET_SECRET: secret },
    stdio: ["ignore", "pipe", "ignore"],
    detached: true,
  });
  const close = () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null || !child.pid) return resolve();
      child.once("exit", () => resolve());
      process.kill(-child.pid, "SIGTERM");
    });
  return new Promise((resolve, reject) => {
    let out = "";
    const timer = setTimeout(() => reject(new Error(`the target receiver did not start: ${out}`)), 30_000);
    child.stdout?.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      const url = out.match(/listening on (http:\/\/\S+)/)?.[1];
      if (url) {
        clearTimeout(timer);
        resolve({ url, close });
      }
    });
    child.once("exit", (code) => reject(new Error(`the target receiver exited (${code}): ${out}`)));
  });
}
