"use server";

import { z } from "zod";
import { checkConnectivity } from "@/db/mutations/connectivity";
import { deleteValue, restoreVersion, revealValue, setValue } from "@/db/mutations/values";
import { createVariable, deleteVariable, restoreVariable, updateVariable } from "@/db/mutations/variables";
import { VALUE_READ, VALUE_WRITE } from "@/lib/declared";
import type { ActionResult } from "@/lib/errors";
import { optionalText, versionNumber } from "@/lib/validation/fields";
import { valueInput, variableInput } from "@/lib/validation/variables";
import { runAction, runSteps } from "@/server/action";

const uuid = z.uuid("Unknown id");
const version = versionNumber();

export async function createVariableAction(org: string, _prev: unknown, form: FormData) {
  return runAction(org, variableInput, form, (tx, ctx, input) => createVariable(tx, ctx, input), {
    capability: "variable:create",
    revalidate: "/variables",
  });
}

export async function updateVariableAction(org: string, _prev: unknown, form: FormData) {
  const schema = z.object({ id: uuid, version, reason: optionalText(1000) }).and(variableInput);
  return runAction(
    org,
    schema,
    form,
    (tx, ctx, { id, version: expected, reason, ...input }) =>
      updateVariable(tx, ctx, id, expected, input, { reason }),
    { capability: "variable:update", revalidate: "/variables" },
  );
}

export async function deleteVariableAction(org: string, form: FormData) {
  return runAction(
    org,
    z.object({ id: uuid, version, reason: optionalText(1000) }),
    form,
    (tx, ctx, i) => deleteVariable(tx, ctx, i.id, i.version, { reason: i.reason }),
    { capability: "variable:delete", revalidate: "/variables" },
  );
}

/** Restores a deleted variable with its values; one with a HIGH value waits for a reviewer (with the reason). */
export async function restoreVariableAction(org: string, form: FormData) {
  return runAction(
    org,
    z.object({ id: uuid, reason: optionalText(1000) }),
    form,
    (tx, ctx, i) => restoreVariable(tx, ctx, i.id, { reason: i.reason }),
    { capability: "variable:delete", revalidate: "/variables" },
  );
}

const target = z.object({ variableId: uuid, environmentId: uuid });

export async function setValueAction(org: string, _prev: unknown, form: FormData) {
  return runAction(org, target.and(valueInput), form, (tx, ctx, input) => setValue(tx, ctx, input), {
    capability: VALUE_WRITE,
    revalidate: "/variables",
  });
}

export async function deleteValueAction(org: string, _prev: unknown, form: FormData) {
  const schema = target.extend({ expectedVersion: version, note: valueInput.shape.note });
  return runAction(org, schema, form, (tx, ctx, input) => deleteValue(tx, ctx, input), {
    capability: VALUE_WRITE,
    revalidate: "/variables",
  });
}

/** The audited reveal: the only action that returns a plaintext value. */
export async function revealValueAction(
  org: string,
  input: { variableId: string; environmentId: string },
): Promise<ActionResult<{ value: string; version: number }>> {
  return runAction(org, target, input, (tx, ctx, t) => revealValue(tx, ctx, t), { capability: VALUE_READ });
}

/** Restores an earlier version of one environment's value as a new version. */
export async function restoreVersionAction(
  org: string,
  input: {
    variableId: string;
    environmentId: string;
    version: number;
    expectedVersion: number;
    reason?: string;
  },
) {
  const schema = target.extend({
    version: versionNumber(1),
    expectedVersion: version,
    reason: valueInput.shape.note,
  });
  return runAction(org, schema, input, (tx, ctx, i) => restoreVersion(tx, ctx, i), {
    capability: VALUE_WRITE,
    revalidate: "/variables",
  });
}

/**
 * On-demand connectivity check of a database URL (short timeout, rate-limited per user, under the outbound
 * policy); the result is stored and audited. No transaction is held open while it connects.
 */
export async function checkConnectivityAction(
  org: string,
  input: { variableId: string; environmentId: string },
) {
  return runSteps(org, target, input, (ctx, t) => checkConnectivity(ctx, t), { capability: VALUE_READ });
}
