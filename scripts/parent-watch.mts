/**
 * A process killed with -9 cannot tell its children: they are re-parented and keep running. So each process
 * that `npm start` starts stops by itself when the process that started it is gone.
 *
 * The children we spawn are linked (`spawnLinked`): their stdin is a pipe whose other end only the parent
 * holds, and never writes. However the parent ends (-9 included), the kernel closes its end, and the child
 * reads end-of-file: nothing to poll, nothing to miss. A process we did not spawn (the start script under
 * npm) has only its parent id to go by, polled.
 */
import { type ChildProcess, type SpawnOptions, spawn } from "node:child_process";

const LINKED = "--linked-to-parent";

/** Spawns a Node child that will notice this process's end: it must call `watchParent`. */
export function spawnLinked(script: string, args: string[], options: SpawnOptions = {}): ChildProcess {
  const [, stdout = "ignore", stderr = "ignore"] = (options.stdio as unknown[] | undefined) ?? [];
  const child = spawn(process.execPath, ["--import", "tsx", script, LINKED, ...args], {
    ...options,
    stdio: ["pipe", stdout, stderr] as SpawnOptions["stdio"],
  });
  // Held open until this process ends, without keeping it alive.
  (child.stdin as unknown as { unref?: () => void } | null)?.unref?.();
  return child;
}

/** The script's own arguments, without the link marker. */
export const scriptArgs = () => process.argv.slice(2).filter((a) => a !== LINKED);

/** Calls `onGone` once, when the process that started this one is gone. */
export function watchParent(onGone: () => void, everyMs = 250): void {
  let called = false;
  const gone = () => {
    if (called) return;
    called = true;
    onGone();
  };
  if (process.argv.includes(LINKED)) {
    process.stdin.on("end", gone);
    process.stdin.on("close", gone);
    process.stdin.on("error", gone);
    process.stdin.resume(); // nothing is ever written: only the end arrives
    return;
  }
  const parent = process.ppid;
  const timer = setInterval(() => {
    if (process.ppid === parent) return;
    clearInterval(timer);
    gone();
  }, everyMs);
  timer.unref();
}
