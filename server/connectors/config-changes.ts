import type { Tx } from "@/db/client";
import type { TenantContext } from "@/db/context";
import type { EnvironmentRef } from "@/db/repos/grants";
import { currentWeddingLock } from "@/db/repos/settings";
import { envLockState } from "@/db/repos/value-rows";
import { lockedUntil } from "@/server/environments/wedding-lock";
import type { SecretOutcome } from "./vault-fields";

/** What changes to destinations and integrations share: the audit's before and after, and the lock. */

/** Which fields moved, each with before and after (never a secret: those are values, audited on their own). */
export function changedFields(before: Record<string, unknown>, after: Record<string, unknown>) {
  const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])];
  return Object.fromEntries(
    keys
      .filter((k) => JSON.stringify(before[k]) !== JSON.stringify(after[k]))
      .map((k) => [k, { from: before[k] ?? null, to: after[k] ?? null }]),
  );
}

/** What each vault field's write came to, for the audit row (names and outcomes, never a value). */
export const secretNotes = (outcomes: SecretOutcome[]) =>
  outcomes.map(
    (o) =>
      `${o.field} (${o.variable}): ${o.status === "applied" ? `v${o.version}` : `change request ${o.requestId}`}`,
  );

/**
 * Refuses early, with until when, a configuration change in an environment that wedding hours lock now (unless
 * the caller's break-glass session covers it); the database trigger refuses it anyway.
 */
export async function refuseLocked(tx: Tx, ctx: TenantContext, env: EnvironmentRef, what: string) {
  const state = await envLockState(tx, env.id);
  if (!state.locked || state.emergency) return;
  const lock = await currentWeddingLock(tx, ctx.organizationId);
  throw lockedUntil(
    `${what} of ${env.name} cannot change`,
    new Date(lock.until ?? Date.now()),
    lock.tz ?? "UTC",
  );
}
