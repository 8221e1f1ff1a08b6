/** The built CLI (cli/ringbearer.mjs) run as a pipeline runs it: its exit, signal, stdout and stderr. */
import { type ChildProcess, spawn } from "node:child_process";

export type Ran = { code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string };

/** Runs the CLI with `args` and these environment variables; `input` is written to its stdin, then closed. */
export function cli(
  args: string[],
  env: Record<string, string>,
  onStart?: (child: ChildProcess) => void,
  input?: string,
): Promise<Ran> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ["cli/ringbearer.mjs", ...args], {
      env: { ...process.env, ...env },
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => {
      stdout += d;
    });
    child.stderr.on("data", (d: Buffer) => {
      stderr += d;
    });
    onStart?.(child);
    if (input !== undefined) child.stdin.end(input);
    child.on("exit", (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}
