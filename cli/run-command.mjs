/** `ringbearer run`: the command started with the values in its environment, signals forwarded, its exit code. */
import { spawn } from "node:child_process";
import { InvalidArgumentError } from "commander";

/** "24h", "30m", "90s", "2d" (or a number of seconds) in milliseconds. */
export function duration(raw) {
  const m = /^(\d{1,7})(s|m|h|d)?$/.exec(String(raw).trim());
  if (!m) throw new InvalidArgumentError("use a duration such as 30m, 24h or 7d");
  return Number(m[1]) * { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 }[m[2] ?? "s"];
}

/** A span in words: "40 s", "12 min", "26.0 h". */
export const ago = (ms) =>
  ms < 120_000
    ? `${Math.round(ms / 1000)} s`
    : ms < 7_200_000
      ? `${Math.round(ms / 60_000)} min`
      : `${(ms / 3_600_000).toFixed(1)} h`;

/** Starts the command with the values in its environment; forwards signals; exits as it exits. */
export function runWith([file, ...args], values) {
  return new Promise(() => {
    const child = spawn(file, args, { stdio: "inherit", env: { ...process.env, ...values } });
    const forward = (signal) => () => child.kill(signal);
    const signals = ["SIGINT", "SIGTERM", "SIGHUP", "SIGQUIT", "SIGUSR1", "SIGUSR2"];
    const handlers = signals.map((s) => [s, forward(s)]);
    for (const [s, h] of handlers) process.on(s, h);
    child.on("error", (error) => {
      process.stderr.write(
        `ringbearer: cannot start ${file}: ${error.code === "ENOENT" ? "no such command" : error.message}\n`,
      );
      process.exit(127);
    });
    child.on("exit", (code, signal) => {
      for (const [s, h] of handlers) process.off(s, h);
      if (signal) {
        // Ended by a signal: end the same way, so whoever started us sees it.
        process.kill(process.pid, signal);
        setTimeout(() => process.exit(128 + 1), 1000).unref();
        return;
      }
      process.exit(code ?? 1);
    });
  });
}
