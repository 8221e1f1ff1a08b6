/**
 * What a test of starting and stopping the app needs to see of its processes (Linux: read from /proc):
 * a process's descendants, whether a process is still alive, and whether a port still listens.
 */
import { readdirSync, readFileSync } from "node:fs";
import { connect } from "node:net";

/** ppid and state of a process, from /proc/<pid>/stat; null once it is gone. */
function stat(pid: number): { ppid: number; state: string } | null {
  try {
    const raw = readFileSync(`/proc/${pid}/stat`, "utf8");
    // The command name is in parentheses and may hold spaces: the fields after its last ")" are fixed.
    const [state, ppid] = raw.slice(raw.lastIndexOf(")") + 2).split(" ");
    return { ppid: Number(ppid), state };
  } catch {
    return null;
  }
}

/** Alive: it exists and is not a zombie waiting for a parent to reap it. */
export const alive = (pid: number) => {
  const s = stat(pid);
  return s !== null && s.state !== "Z" && s.state !== "X";
};

/** Every live process below `pid` (children, their children, …). */
export function descendants(pid: number): number[] {
  const parents = new Map<number, number[]>();
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    const s = stat(Number(name));
    if (!s || s.state === "Z") continue;
    parents.set(s.ppid, [...(parents.get(s.ppid) ?? []), Number(name)]);
  }
  const found: number[] = [];
  const walk = (p: number) => {
    for (const child of parents.get(p) ?? []) {
      found.push(child);
      walk(child);
    }
  };
  walk(pid);
  return found;
}

/** Whether something accepts TCP connections on 127.0.0.1:port. */
export function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: "127.0.0.1", port });
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}

/** Polls `check` every 100 ms until it holds; resolves with the milliseconds it took, or rejects after `ms`. */
export async function within(ms: number, what: string, check: () => boolean | Promise<boolean>) {
  const started = performance.now();
  while (!(await check())) {
    if (performance.now() - started > ms) throw new Error(`not within ${ms} ms: ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return performance.now() - started;
}
