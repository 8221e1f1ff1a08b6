import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { afterEach, describe, expect, it } from "vitest";
import { createPatternPool, type PatternPool, type PoolOptions } from "@/lib/pattern-pool";

/** A real pattern recheck's pure backend needs more than ten seconds for (it is cut short here). */
const SLOW = "^(a|b|ab){1,40}c$";
const SAFE = "^[a-z]+$";

const base: PoolOptions = {
  workers: 1,
  queue: 1,
  checkTimeoutMs: 2_000,
  hardLimitMs: 3_000,
  startLimitMs: 10_000,
  niceness: 10,
  resourceLimits: { maxOldGenerationSizeMb: 128, maxYoungGenerationSizeMb: 16, stackSizeMb: 4 },
};

let pool: PatternPool | null = null;
afterEach(async () => {
  await pool?.close();
  pool = null;
});

describe("pattern analysis pool", () => {
  it("terminates a worker that overruns the hard limit, refuses the pattern and goes on", async () => {
    // recheck's own limit is far away: only the server's timer can stop this analysis.
    // 2 s: the niced worker that follows must answer the safe pattern within it on a loaded machine too.
    pool = createPatternPool({ ...base, checkTimeoutMs: 60_000, hardLimitMs: 2_000 });
    const started = performance.now();
    expect(await pool.analyse(SLOW, "u")).toEqual({ status: "unknown", reason: "overran" });
    expect(performance.now() - started).toBeLessThan(10_000); // not the 60 s recheck would take
    expect(await pool.analyse(SAFE, "u")).toEqual({ status: "safe" });
  }, 20_000);

  it("refuses at once as busy when every worker is taken and the queue is full", async () => {
    pool = createPatternPool({ ...base, checkTimeoutMs: 500 });
    const running = pool.analyse(SLOW, "u");
    const queued = pool.analyse(`${SLOW}x`, "u");
    const started = performance.now();
    expect(await pool.analyse(SAFE, "u")).toEqual({ status: "busy" });
    expect(performance.now() - started).toBeLessThan(50);
    expect(await running).toEqual({ status: "unknown", reason: "timeout" });
    expect(await queued).toEqual({ status: "unknown", reason: "timeout" });
    expect(await pool.analyse(SAFE, "u")).toEqual({ status: "safe" });
  }, 20_000);

  it("refuses a pattern whose worker runs out of memory, without taking the process down", async () => {
    const faults: string[] = [];
    pool = createPatternPool({
      ...base,
      resourceLimits: { maxOldGenerationSizeMb: 4, maxYoungGenerationSizeMb: 1 },
      onFault: (error) => faults.push((error as NodeJS.ErrnoException).code ?? error.message),
    });
    expect(await pool.analyse(SAFE, "u")).toEqual({ status: "unknown", reason: "crashed" });
    expect(faults).toEqual(["ERR_WORKER_OUT_OF_MEMORY"]);
  }, 20_000);

  it("never keeps the process alive once every pattern is answered", async () => {
    const script = `
      const { patternProblem } = await import("./lib/safe-pattern.ts");
      console.log(JSON.stringify(await patternProblem("^[a-z]+$")));`;
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ["--import", "tsx", "--input-type=module", "-e", script],
      { timeout: 30_000 },
    );
    expect(stdout.trim()).toBe("null");
  }, 40_000);
});
