import { sql } from "drizzle-orm";
import { noteDatabaseOutcome } from "./availability";
import { getDb } from "./client";
import { contextTransaction } from "./context";

type Probe = { probe?: Promise<boolean>; probedAt: number; probeOk: boolean };
const holder = globalThis as unknown as { ringbearerProbe?: Probe };

/** How long a probe may take: a connection that cannot be made by then counts as unavailable. */
const PROBE_TIMEOUT_MS = 5_000;
/** Concurrent callers share one probe, and its result for this long. */
const PROBE_REUSE_MS = 1_000;

async function runProbe(): Promise<boolean> {
  const startedAt = Date.now();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(Object.assign(new Error("probe timed out"), { code: "CONNECT_TIMEOUT" })),
      PROBE_TIMEOUT_MS,
    );
  });
  try {
    // The path every request takes: a transaction on the app's pool with a request context set (and, as for
    // a request, one more try when it could not begin).
    await Promise.race([
      contextTransaction(getDb(), { userId: "" }, (tx) => tx.execute(sql`select 1`)),
      timeout,
    ]);
    return true;
  } catch (error) {
    // A probe's failure is news for everyone; its success is not: one connection answering does not mean the
    // pool's others do, so only requests clear a failure (or it is forgotten after FAILURE_MEMORY_MS).
    noteDatabaseOutcome(error, startedAt);
    return false;
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Whether a transaction through the app's pool works now. One probe runs at a time (concurrent callers share
 * it); with `reuse`, a result less than a second old is taken as it is (the console's pages ask on every request
 * while the database is failing).
 */
export async function probeDatabase(opts: { reuse?: boolean } = {}): Promise<boolean> {
  holder.ringbearerProbe ??= { probedAt: 0, probeOk: true };
  const s = holder.ringbearerProbe;
  if (s.probe) return s.probe;
  if (opts.reuse && Date.now() - s.probedAt < PROBE_REUSE_MS) return s.probeOk;
  s.probe = runProbe().then((ok) => {
    s.probeOk = ok;
    s.probedAt = Date.now();
    s.probe = undefined;
    return ok;
  });
  return s.probe;
}
