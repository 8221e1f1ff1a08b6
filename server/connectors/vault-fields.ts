import type { Tx } from "@/db/client";
import type { TenantContext } from "@/db/context";
import type { EnvironmentRef } from "@/db/repos/grants";
import { valueHeads } from "@/db/repos/value-rows";
import { liveVariableNamed } from "@/db/repos/variable-rows";
import type { VaultField } from "@/lib/destinations/types";
import { AppError } from "@/lib/errors";
import { setValue, type ValueChange } from "@/server/values/values";
import { createVariable } from "@/server/variables/variables";

/**
 * The key-like fields of analytics destinations and integrations (issue 15's rule: one vault, one audit, one gate):
 * each is a variable of the environment, its value written through the one value write path.
 */

/** Vault fields with the variable each is kept in: the owner's choice, or the default name. */
export function bindFields(fields: readonly VaultField[], chosen: Record<string, string>): VaultField[] {
  return fields.map((f) => ({ ...f, variable: chosen[f.field] ?? f.variable }));
}

/** Whose fields they are, for the variables made for them: `PostHog`, and `analytics destination`. */
export type FieldOwner = { label: string; kind: string; tag: string };

/** The variable a vault field is kept in, made for the user the first time (confidential when server-only). */
async function variableFor(tx: Tx, ctx: TenantContext, owner: FieldOwner, field: VaultField) {
  const existing = await liveVariableNamed(tx, ctx.organizationId, field.variable);
  if (existing) return existing;
  const where = field.exposure === "server" ? "server side only" : "sent to browsers";
  return createVariable(tx, ctx, {
    name: field.variable,
    displayName: `${owner.label}: ${field.label}`,
    description: `Kept for the ${owner.label} ${owner.kind} (${where}).`,
    variableType: "api_key",
    // An OAuth grant's tokens are renewed by the console every hour or so: internal, so a renewal needs no
    // reviewer (the grant itself was given by a person at the provider). Keys typed by a person: confidential.
    securityClassification: field.managed || field.exposure === "client" ? "internal" : "confidential",
    isRequired: false,
    isWeddingCritical: false,
    validationPattern: undefined,
    tags: [owner.tag],
  });
}

export type SecretOutcome = { field: string; variable: string } & ValueChange;

/**
 * Writes the vault fields given a new value, each as a value of its variable in the destination's environment,
 * through the one value write path (setValue): encrypted with its row as AAD, versioned, audited with its hash,
 * checked against the wedding-hours lock, and — where the value's risk is HIGH or CRITICAL (a confidential
 * value in production) — opened as a change request for a reviewer with `reason` as its reason (a field error
 * on `reason` without one). Nothing here keeps a secret of its own.
 */
export async function writeVaultFields(
  tx: Tx,
  ctx: TenantContext,
  env: EnvironmentRef,
  owner: FieldOwner,
  fields: readonly VaultField[],
  secrets: Record<string, string>,
  reason: string | undefined,
): Promise<SecretOutcome[]> {
  const outcomes: SecretOutcome[] = [];
  for (const field of fields) {
    const value = secrets[field.field];
    if (value === undefined) continue;
    const variable = await variableFor(tx, ctx, owner, field);
    const [head] = await valueHeads(tx, env.id, [variable.id]);
    const change = await setValue(tx, ctx, {
      variableId: variable.id,
      environmentId: env.id,
      value,
      expectedVersion: head?.version ?? 0,
      note: reason,
    }).catch((error: unknown) => {
      // The value path names its reason field `note`; this form calls it `reason`, and the field the value is for.
      if (error instanceof AppError && error.fieldErrors?.note)
        throw new AppError(error.code, { reason: error.fieldErrors.note }, error.meta);
      if (error instanceof AppError && error.fieldErrors?.value)
        throw new AppError(error.code, { [`secrets.${field.field}`]: error.fieldErrors.value }, error.meta);
      throw error;
    });
    outcomes.push({ field: field.field, variable: field.variable, ...change });
  }
  return outcomes;
}
