import { type ResourceLimits, Worker } from "node:worker_threads";

/**
 * A small, bounded pool of worker threads that analyse validation patterns for ReDoS, so an analysis that
 * takes seconds never stalls the server's event loop. The time limit is enforced from this thread: a worker
 * that overruns is terminated and the pattern refused. A full queue answers "busy" at once instead of
 * piling up work. Workers are started on first use, reused, and never keep the process alive.
 */

export type Analysis =
  | { status: "safe" }
  | { status: "vulnerable"; complexity: "exponential" | "polynomial" }
  /** `invalid`: not a regular expression to recheck; the rest: no verdict could be proved. */
  | { status: "unknown"; reason: "invalid" | "timeout" | "unsupported" | "cancel" | "crashed" | "overran" }
  | { status: "busy" };

export type PoolOptions = {
  /** Analyses that run at once, one per worker thread. */
  workers: number;
  /** Analyses that may wait for a worker; one more is refused as busy. */
  queue: number;
  /** recheck's own time limit, inside the worker. */
  checkTimeoutMs: number;
  /** The hard limit, from the moment a ready worker gets the pattern: past it the worker is terminated. */
  hardLimitMs: number;
  /** How long a new worker may take to load recheck before it is terminated. */
  startLimitMs: number;
  resourceLimits: ResourceLimits;
  /** The workers' nice value on Linux (0–19): higher leaves the CPU to the server's own thread first. */
  niceness: number;
  /** Told when a worker fails (cannot start, runs out of memory, crashes); never given the pattern. */
  onFault?: (error: Error) => void;
};

type Job = { source: string; flags: string; resolve: (analysis: Analysis) => void };
type Slot = { worker: Worker; ready: boolean; job: Job | null; id: number; timer: NodeJS.Timeout | null };

export type PatternPool = {
  analyse(source: string, flags: string): Promise<Analysis>;
  /** Terminates every worker; what is running or waiting is answered as busy. */
  close(): Promise<void>;
};

const crashed: Analysis = { status: "unknown", reason: "crashed" };

export function createPatternPool(options: PoolOptions): PatternPool {
  const slots = new Set<Slot>();
  const waiting: Job[] = [];
  let nextId = 0;

  const retire = async (slot: Slot, answer: Analysis) => {
    if (!slots.delete(slot)) return;
    if (slot.timer) clearTimeout(slot.timer);
    slot.job?.resolve(answer);
    slot.job = null;
    pump();
    await slot.worker.terminate();
  };

  /** Terminates the slot's worker after `ms` (the time to start, or the time to analyse). */
  const arm = (slot: Slot, ms: number) => {
    if (slot.timer) clearTimeout(slot.timer);
    slot.timer = setTimeout(() => void retire(slot, { status: "unknown", reason: "overran" }), ms);
  };

  const spawn = (): Slot => {
    const worker = new Worker(new URL("./pattern-worker.mjs", import.meta.url), {
      name: "pattern-analysis",
      // The worker needs no secret: it gets none of the server's environment.
      env: { RECHECK_SYNC_BACKEND: "pure" },
      // Plain Node: the parent's flags (a TypeScript loader, --input-type, …) are not the worker's business.
      execArgv: [],
      resourceLimits: options.resourceLimits,
      workerData: { niceness: options.niceness },
    });
    const slot: Slot = { worker, ready: false, job: null, id: -1, timer: null };
    arm(slot, options.startLimitMs);
    worker.on("message", (reply: ({ id: number } & Analysis) | { ready: true }) => {
      if ("ready" in reply) {
        slot.ready = true;
        if (slot.job) arm(slot, options.hardLimitMs);
        return;
      }
      if (slot.job === null || reply.id !== slot.id) return;
      if (slot.timer) clearTimeout(slot.timer);
      slot.timer = null;
      const { id: _id, ...analysis } = reply;
      const job = slot.job;
      slot.job = null;
      job.resolve(analysis as Analysis);
      pump();
    });
    // Out of memory (resourceLimits), a failed start or a crash: the pattern is refused, the pool goes on.
    worker.on("error", (error) => {
      options.onFault?.(error);
      void retire(slot, crashed);
    });
    worker.on("exit", () => void retire(slot, crashed));
    // After the listeners: attaching a "message" listener refs the worker again.
    worker.unref();
    slots.add(slot);
    return slot;
  };

  const run = (slot: Slot, job: Job) => {
    slot.job = job;
    slot.id = nextId++;
    // A starting worker gets the pattern once it has loaded; its clock starts then.
    if (slot.ready) arm(slot, options.hardLimitMs);
    slot.worker.postMessage({
      id: slot.id,
      source: job.source,
      flags: job.flags,
      timeout: options.checkTimeoutMs,
    });
  };

  function pump() {
    while (waiting.length > 0) {
      let idle = [...slots].find((s) => s.job === null);
      if (!idle && slots.size < options.workers) idle = spawn();
      if (!idle) return;
      run(idle, waiting.shift() as Job);
    }
  }

  return {
    analyse(source, flags) {
      return new Promise<Analysis>((resolve) => {
        const running = [...slots].filter((s) => s.job !== null).length;
        if (running >= options.workers && waiting.length >= options.queue) {
          resolve({ status: "busy" });
          return;
        }
        waiting.push({ source, flags, resolve });
        pump();
      });
    },
    async close() {
      for (const job of waiting.splice(0)) job.resolve({ status: "busy" });
      await Promise.all([...slots].map((slot) => retire(slot, { status: "busy" })));
    },
  };
}
