import type { Tx } from "@/db/client";
import type { TenantContext } from "@/db/context";
import { compareRows } from "@/db/repos/compare";
import { environmentInOrg } from "@/db/repos/grants";
import { valueCiphertexts } from "@/db/repos/values";
import { liveVariablesWithIds } from "@/db/repos/variable-rows";
import { orgVault } from "@/db/vault";
import { AppError } from "@/lib/errors";
import { requireValuePermission } from "@/server/authz";
import { writeValues } from "@/server/values/value-writes";

export type PromoteInput = {
  fromEnvironmentId: string;
  toEnvironmentId: string;
  /** The variables to promote, each with the target version the promoter saw (0 = not set there). */
  items: { variableId: string; expectedVersion: number }[];
  note?: string;
};

/**
 * Copies the selected values from one environment to another in one transaction: each is decrypted from
 * the source and written to the target through the shared write path (permission, wedding hours, checks,
 * versions). One refusal refuses them all; if any of them needs approval, they all wait in one change request
 * (the note is its reason).
 */
export async function promoteValues(tx: Tx, ctx: TenantContext, input: PromoteInput) {
  if (input.fromEnvironmentId === input.toEnvironmentId)
    throw new AppError("validation", { toEnvironmentId: ["Choose a different target environment"] });
  if (input.items.length === 0)
    throw new AppError("validation", { form: ["Select at least one key to promote"] });
  const from = await environmentInOrg(tx, ctx, input.fromEnvironmentId);
  const to = await environmentInOrg(tx, ctx, input.toEnvironmentId);
  await requireValuePermission(tx, ctx, null, from, "read");
  const ids = input.items.map((i) => i.variableId);
  const rows = await compareRows(tx, ctx, from.id, to.id, ids);
  const promotable = new Map(
    rows.filter((r) => r.kind === "added" || r.kind === "changed").map((r) => [r.variableId, r]),
  );
  const skipped = rows.filter((r) => !promotable.has(r.variableId)).map((r) => r.name);
  if (promotable.size === 0)
    throw new AppError("validation", { form: ["Nothing to promote: the selected keys already match"] });

  const variables = await liveVariablesWithIds(tx, ctx.organizationId, [...promotable.keys()]);
  const sources = await valueCiphertexts(tx, from.id, [...promotable.keys()]);
  const vault = await orgVault(tx, ctx.organizationId);
  const byId = new Map(variables.map((v) => [v.id, v]));
  const expected = new Map(input.items.map((i) => [i.variableId, i.expectedVersion]));
  const note = [`Promoted from ${from.name}`, input.note].filter(Boolean).join(": ");
  const writes = sources.map((s) => ({
    variable: byId.get(s.variableId) as (typeof variables)[number],
    value: vault.decryptValue(
      { ciphertext: s.encryptedValue, keyId: s.encryptionKeyId },
      { organizationId: ctx.organizationId, variableId: s.variableId, environmentId: from.id },
    ),
    expectedVersion: expected.get(s.variableId) ?? 0,
    note,
  }));
  const result = await writeValues(tx, ctx, to, writes, {
    fieldFor: (w) => w.variable.name,
    reason: input.note,
    source: "promote",
  });
  const base = { skipped, from: from.name, to: to.name };
  return result.status === "requested"
    ? { status: "requested" as const, ...base, promoted: 0, request: result.request }
    : { status: "applied" as const, ...base, promoted: result.written.length };
}
