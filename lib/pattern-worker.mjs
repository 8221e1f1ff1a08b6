/**
 * The thread that analyses validation patterns for ReDoS (started by lib/pattern-pool.ts, never imported).
 * It runs recheck's pure-JS checker synchronously: a slow analysis blocks this thread only, and the pool
 * terminates it if it overruns. Replies carry the verdict alone, never recheck's attack strings.
 */
import { setPriority } from "node:os";
import { parentPort, workerData } from "node:worker_threads";
import { checkSync } from "recheck";

/** The parts of recheck's diagnostics the pool needs. */
function summary(diagnostics) {
  if (diagnostics.status === "safe") return { status: "safe" };
  if (diagnostics.status === "vulnerable") {
    return { status: "vulnerable", complexity: diagnostics.complexity.type };
  }
  return { status: "unknown", reason: diagnostics.error.kind };
}

// On Linux a thread has its own nice value: lowering this one leaves the server's thread ahead of it for
// the CPU. (Elsewhere it would lower the whole process, so it is left alone.)
if (process.platform === "linux" && workerData?.niceness) {
  try {
    setPriority(workerData.niceness);
  } catch {
    // not allowed here: the analysis still runs, at normal priority
  }
}

// Loaded: the pool starts the clock of the first analysis now, not while recheck was loading.
parentPort?.postMessage({ ready: true });
parentPort?.on("message", ({ id, source, flags, timeout }) => {
  let reply;
  try {
    reply = summary(checkSync(source, flags, { timeout }));
  } catch {
    reply = { status: "unknown", reason: "crashed" };
  }
  parentPort?.postMessage({ id, ...reply });
});
