"use server";

import { z } from "zod";
import { VALUE_READ, VALUE_WRITE } from "@/lib/declared";
import { optionalText, versionNumber } from "@/lib/validation/fields";
import { valueInput, variableInput } from "@/lib/validation/variables";
import { orgAction, orgSteps } from "@/server/entry/action";
import { checkConnectivity } from "@/server/targets/connectivity";
import { deleteValue, restoreVersion, revealValue, setValue } from "@/server/values/values";
import {
  createVariable,
  deleteVariable,
  restoreVariable,
  updateVariable,
} from "@/server/variables/variables";

const uuid = z.uuid("Unknown id");
const version = versionNumber();

export const createVariableAction = orgAction({
  call: "form",
  input: variableInput,
  capability: "variable:create",
  revalidate: "/variables",
  run: (tx, ctx, input) => createVariable(tx, ctx, input),
});

export const updateVariableAction = orgAction({
  call: "form",
  input: z.object({ id: uuid, version, reason: optionalText(1000) }).and(variableInput),
  capability: "variable:update",
  revalidate: "/variables",
  run: (tx, ctx, { id, version: expected, reason, ...input }) =>
    updateVariable(tx, ctx, id, expected, input, { reason }),
});

export const deleteVariableAction = orgAction({
  call: "form-only",
  input: z.object({ id: uuid, version, reason: optionalText(1000) }),
  capability: "variable:delete",
  revalidate: "/variables",
  run: (tx, ctx, i) => deleteVariable(tx, ctx, i.id, i.version, { reason: i.reason }),
});

/** Restores a deleted variable with its values; one with a HIGH value waits for a reviewer (with the reason). */
export const restoreVariableAction = orgAction({
  call: "form-only",
  input: z.object({ id: uuid, reason: optionalText(1000) }),
  capability: "variable:delete",
  revalidate: "/variables",
  run: (tx, ctx, i) => restoreVariable(tx, ctx, i.id, { reason: i.reason }),
});

const target = z.object({ variableId: uuid, environmentId: uuid });

export const setValueAction = orgAction({
  call: "form",
  input: target.and(valueInput),
  capability: VALUE_WRITE,
  revalidate: "/variables",
  run: (tx, ctx, input) => setValue(tx, ctx, input),
});

export const deleteValueAction = orgAction({
  call: "form",
  input: target.extend({ expectedVersion: version, note: valueInput.shape.note }),
  capability: VALUE_WRITE,
  revalidate: "/variables",
  run: (tx, ctx, input) => deleteValue(tx, ctx, input),
});

/** The audited reveal: the only action that returns a plaintext value. */
export const revealValueAction = orgAction({
  call: "input",
  input: target,
  capability: VALUE_READ,
  run: (tx, ctx, t) => revealValue(tx, ctx, t),
});

/** Restores an earlier version of one environment's value as a new version. */
export const restoreVersionAction = orgAction({
  call: "input",
  input: target.extend({
    version: versionNumber(1),
    expectedVersion: version,
    reason: valueInput.shape.note,
  }),
  capability: VALUE_WRITE,
  revalidate: "/variables",
  run: (tx, ctx, i) => restoreVersion(tx, ctx, i),
});

/**
 * On-demand connectivity check of a database URL (short timeout, rate-limited per user, under the outbound
 * policy); the result is stored and audited. No transaction is held open while it connects.
 */
export const checkConnectivityAction = orgSteps({
  call: "input",
  input: target,
  capability: VALUE_READ,
  run: (ctx, t) => checkConnectivity(ctx, t),
});
