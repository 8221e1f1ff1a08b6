import { checkSync, type Diagnostics } from "recheck";

/**
 * User-supplied validation patterns. ReDoS analysis is recheck's in-process pure-JS backend (no worker, native
 * binary or JVM, so it behaves the same under Next.js bundling and in tests). A pattern recheck cannot
 * vouch for ("unknown": analysis timed out, unsupported, or crashed) is rejected too: safe until proven.
 */

export const MAX_PATTERN_LENGTH = 500;
export const MAX_MATCH_LENGTH = 64 * 1024;
const FLAGS = "u";
const CHECK_TIMEOUT_MS = 2_000;
const CACHE_SIZE = 200;

const INVALID = "Not a valid regular expression";
const EXPONENTIAL =
  "This pattern could take exponential time on some inputs (e.g. nested quantifiers); simplify it";
const POLYNOMIAL =
  "This pattern could take polynomial time on long inputs (e.g. overlapping quantifiers like .*a.*); simplify it";
const UNKNOWN =
  "This pattern is too complex to prove safe (e.g. look-arounds or back-references); simplify it";

const cache = new Map<string, string | null>();

/** Runs recheck synchronously on its pure-JS backend, restoring the caller's backend setting afterwards. */
function diagnose(source: string): Diagnostics | null {
  const previous = process.env.RECHECK_SYNC_BACKEND;
  process.env.RECHECK_SYNC_BACKEND = "pure";
  try {
    return checkSync(source, FLAGS, { timeout: CHECK_TIMEOUT_MS });
  } catch {
    return null;
  } finally {
    if (previous === undefined) delete process.env.RECHECK_SYNC_BACKEND;
    else process.env.RECHECK_SYNC_BACKEND = previous;
  }
}

/** Whether `source` compiles as a Unicode-mode regular expression. */
function compiles(source: string): boolean {
  try {
    new RegExp(source, FLAGS);
    return true;
  } catch {
    return false;
  }
}

/** The problem with a pattern, uncached. */
function findProblem(source: string): string | null {
  if (source.length > MAX_PATTERN_LENGTH) return `Patterns are at most ${MAX_PATTERN_LENGTH} characters`;
  if (!compiles(source)) return INVALID;
  const result = diagnose(source);
  if (result === null) return UNKNOWN;
  if (result.status === "safe") return null;
  if (result.status === "vulnerable") {
    return result.complexity.type === "exponential" ? EXPONENTIAL : POLYNOMIAL;
  }
  return result.error.kind === "invalid" ? INVALID : UNKNOWN;
}

/** Null when a validation pattern may be used; otherwise what is wrong with it, for a person. */
export function patternProblem(source: string): string | null {
  const cached = cache.get(source);
  if (cached !== undefined) return cached;
  const problem = findProblem(source);
  if (cache.size >= CACHE_SIZE) cache.delete(cache.keys().next().value as string);
  cache.set(source, problem);
  return problem;
}

/** Whether `value` matches a pattern that passed `patternProblem` (false for over-long values or bad patterns). */
export function matchesPattern(source: string, value: string): boolean {
  if (value.length > MAX_MATCH_LENGTH) return false;
  try {
    return new RegExp(source, FLAGS).test(value);
  } catch {
    return false;
  }
}
