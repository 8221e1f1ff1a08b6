import { availableParallelism } from "node:os";
import { type Analysis, createPatternPool, type PatternPool, type PoolOptions } from "./pattern-pool";

/**
 * User-supplied validation patterns. ReDoS analysis is recheck's pure-JS checker, run in worker threads
 * (lib/pattern-pool.ts) so that an analysis taking seconds never blocks requests: one or two workers at a
 * lowered priority, ten analyses waiting at most (more are refused as busy), recheck's own 2 s limit inside
 * the worker and a hard 2.5 s limit from the server's thread, which terminates an overrunning worker. A
 * pattern recheck cannot vouch for (analysis timed out or overran, unsupported syntax, the worker crashed or
 * ran out of memory) is rejected: safe until proven. Verdicts are cached; "busy" and an analysis that did not
 * finish are not (they are about now): a value checked against such a pattern is refused for now.
 */

export const MAX_PATTERN_LENGTH = 500;
export const MAX_MATCH_LENGTH = 64 * 1024;
const FLAGS = "u";
const CACHE_SIZE = 200;

export const POOL: PoolOptions = {
  // At most two, and always one core left to serve requests (one worker on a two-core machine).
  workers: Math.min(2, Math.max(1, availableParallelism() - 1)),
  // Ten patterns submitted at once all get analysed; an eleventh waiting one is refused as busy.
  queue: 10,
  checkTimeoutMs: 2_000,
  hardLimitMs: 2_500,
  startLimitMs: 10_000,
  niceness: 10,
  // recheck's analyses here stay under 40 MiB of heap; a pattern that needs far more is refused.
  resourceLimits: { maxOldGenerationSizeMb: 128, maxYoungGenerationSizeMb: 16, stackSizeMb: 4 },
  onFault: (error) =>
    process.emitWarning(`validation pattern analysis worker failed: ${error.message}`, "PatternWorker"),
};

const INVALID = "Not a valid regular expression";
const TOO_LONG = `Patterns are at most ${MAX_PATTERN_LENGTH} characters`;
const EXPONENTIAL =
  "This pattern could take exponential time on some inputs (e.g. nested quantifiers); simplify it";
const POLYNOMIAL =
  "This pattern could take polynomial time on long inputs (e.g. overlapping quantifiers like .*a.*); simplify it";
const UNKNOWN =
  "This pattern is too complex to prove safe (e.g. look-arounds, back-references or long counted repeats); simplify it";
const UNFINISHED =
  "This pattern is too complex to prove safe in the time allowed (or the checker is overloaded); simplify it or try again";
const BUSY = "The pattern checker is busy with other patterns; try again in a moment";

/** Whether a pattern may be used; if not, why (for a person), and whether asking again later may help. */
export type PatternVerdict = { usable: true } | { usable: false; retry: boolean; message: string };

const TRANSIENT = new Set(["timeout", "overran", "crashed", "cancel"]);
const USABLE: PatternVerdict = { usable: true };
const refused = (message: string, retry = false): PatternVerdict => ({ usable: false, retry, message });

let pool: PatternPool | null = null;
const cache = new Map<string, PatternVerdict>();
const pending = new Map<string, Promise<PatternVerdict>>();

/** Whether `source` compiles as a Unicode-mode regular expression. */
function compiles(source: string): boolean {
  try {
    new RegExp(source, FLAGS);
    return true;
  } catch {
    return false;
  }
}

function verdictOf(analysis: Analysis): PatternVerdict {
  switch (analysis.status) {
    case "safe":
      return USABLE;
    case "vulnerable":
      return refused(analysis.complexity === "exponential" ? EXPONENTIAL : POLYNOMIAL);
    case "busy":
      return refused(BUSY, true);
    default:
      // An analysis that ran out of time, overran or lost its worker says as much about the machine's load as
      // about the pattern: refused for now, never cached, so a value checked against it is refused, not
      // accepted unchecked (lib/value-checks.ts).
      if (TRANSIENT.has(analysis.reason)) return refused(UNFINISHED, true);
      return refused(analysis.reason === "invalid" ? INVALID : UNKNOWN);
  }
}

/** The verdict on a pattern, uncached: cheap checks here, the analysis in a worker. */
async function judge(source: string): Promise<PatternVerdict> {
  if (source.length > MAX_PATTERN_LENGTH) return refused(TOO_LONG);
  if (!compiles(source)) return refused(INVALID);
  pool ??= createPatternPool(POOL);
  return verdictOf(await pool.analyse(source, FLAGS));
}

/**
 * The verdict on a validation pattern. Never blocks the event loop; answers within the hard limit once a
 * worker takes the pattern. The same pattern asked for twice at once is analysed once.
 */
export async function judgePattern(source: string): Promise<PatternVerdict> {
  const cached = cache.get(source);
  if (cached) return cached;
  const running = pending.get(source);
  if (running) return running;
  const verdict = judge(source).finally(() => pending.delete(source));
  pending.set(source, verdict);
  const answer = await verdict;
  if (!(!answer.usable && answer.retry)) {
    if (cache.size >= CACHE_SIZE) cache.delete(cache.keys().next().value as string);
    cache.set(source, answer);
  }
  return answer;
}

/** Null when a validation pattern may be used; otherwise what is wrong with it, for a person. */
export async function patternProblem(source: string): Promise<string | null> {
  const verdict = await judgePattern(source);
  return verdict.usable ? null : verdict.message;
}

/** Whether `value` matches a pattern judged usable (false for over-long values or bad patterns). */
export function matchesPattern(source: string, value: string): boolean {
  if (value.length > MAX_MATCH_LENGTH) return false;
  try {
    return new RegExp(source, FLAGS).test(value);
  } catch {
    return false;
  }
}
