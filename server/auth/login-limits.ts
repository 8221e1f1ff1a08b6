import { RateLimiterRes } from "rate-limiter-flexible";
import type { Database } from "@/db/client";
import { clearLimit, type Limit, limiterFor, release, reserve } from "@/server/auth/rate-limits";

/**
 * Sign-in throttling: sign-in, wrong authentication codes and failed re-authentications (step-up, turning
 * two-factor off, confirming enrolment) all pass through `throttled`. Policy (docs/security.md, Sessions):
 *
 * - per account and address: 5 failures in 15 minutes, then that address is refused for that account until
 *   the window ends — strict, but it only stops the address that guessed;
 * - per address: 50 failures in 15 minutes over all accounts (password spraying);
 * - per account, from every address: after 10 failures in 24 hours each further attempt waits for a delay
 *   that doubles (1 s, 2 s, 4 s …) up to 5 minutes, and only one attempt runs per delay. Never a lockout:
 *   the right password from any address that is not itself throttled still gets in within the delay, and a
 *   success starts the account's count again.
 *
 * Every check takes its point before the password is evaluated (an atomic upsert in PostgreSQL), so
 * concurrent attempts cannot evaluate more passwords than the limits allow. A refused attempt and an
 * attempt that ends without a verdict (a missing code, an error) give their points back.
 */
export const LOGIN_LIMITS = {
  perAccountAddress: 5,
  perAddress: 50,
  windowMinutes: 15,
  accountFreeFailures: 10,
  accountWindowHours: 24,
  accountDelaySeconds: { first: 1, max: 300 },
};

export type Outcome = "success" | "failure" | "neutral";
export type ThrottleResult<T> = { limited: true; retryAfterSeconds: number } | { limited: false; value: T };

const normal = (account: string) => account.trim().toLowerCase();

const accountAddress = (account: string, address: string | undefined): Limit => ({
  key: `login:${normal(account)}|${address ?? "unknown"}`,
  max: LOGIN_LIMITS.perAccountAddress,
  windowMinutes: LOGIN_LIMITS.windowMinutes,
});

const addressLimit = (address: string | undefined): Limit => ({
  key: `login-address:${address ?? "unknown"}`,
  max: LOGIN_LIMITS.perAddress,
  windowMinutes: LOGIN_LIMITS.windowMinutes,
});

const accountCounter = (database: Database) =>
  limiterFor(database, Number.MAX_SAFE_INTEGER, LOGIN_LIMITS.accountWindowHours * 3600, "login-account");
const accountGate = (database: Database) => limiterFor(database, 1, 1, "login-gate");

/** The delay before the next attempt on an account that has had `failures` failures (0 while free). */
export function backoffSeconds(failures: number): number {
  const over = failures - LOGIN_LIMITS.accountFreeFailures;
  if (over <= 0) return 0;
  const { first, max } = LOGIN_LIMITS.accountDelaySeconds;
  return Math.min(max, first * 2 ** Math.min(over - 1, 30));
}

/**
 * Runs one attempt for `account` (an email, lower-cased) from `address` within the limits above. `attempt`
 * says how it went: `failure` keeps its points (it counts), `success` starts the account's counts again,
 * `neutral` (e.g. the right password, code still to come) gives them back.
 */
export async function throttled<T>(
  database: Database,
  who: { account: string; address: string | undefined },
  attempt: () => Promise<{ outcome: Outcome; value: T }>,
): Promise<ThrottleResult<T>> {
  const pair = accountAddress(who.account, who.address);
  const perAddress = addressLimit(who.address);
  const accountKey = normal(who.account);
  const taken: (() => Promise<void>)[] = [];
  const giveBack = async () => {
    for (const undo of taken.reverse()) await undo();
  };

  const first = await reserve(database, pair);
  if (!first.ok) return { limited: true, retryAfterSeconds: first.retryAfterSeconds };
  taken.push(() => release(database, pair));
  const second = await reserve(database, perAddress);
  if (!second.ok) {
    await giveBack();
    return { limited: true, retryAfterSeconds: second.retryAfterSeconds };
  }
  taken.push(() => release(database, perAddress));
  const counted = await accountCounter(database).penalty(accountKey, 1);
  taken.push(async () => {
    await accountCounter(database).reward(accountKey, 1);
  });
  // The count includes attempts still running, so a burst from many addresses is gated as a whole.
  const delay = backoffSeconds(counted.consumedPoints);
  if (delay > 0) {
    try {
      await accountGate(database).consume(accountKey, 1, { customDuration: delay });
    } catch (error) {
      if (!(error instanceof RateLimiterRes)) {
        await giveBack();
        throw error;
      }
      await giveBack();
      return { limited: true, retryAfterSeconds: Math.max(1, Math.ceil(error.msBeforeNext / 1000)) };
    }
  }

  let result: { outcome: Outcome; value: T };
  try {
    result = await attempt();
  } catch (error) {
    await giveBack().catch(() => {});
    throw error;
  }
  if (result.outcome === "neutral") await giveBack();
  if (result.outcome === "success") {
    await clearLimit(database, pair);
    await release(database, perAddress);
    await accountCounter(database).delete(accountKey);
    await accountGate(database).delete(accountKey);
  }
  return { limited: false, value: result.value };
}
