"use server";

import { z } from "zod";
import { perRow } from "@/lib/declared";
import { optionalText } from "@/lib/validation/fields";
import { targetInput, targetSecret, targetSettings } from "@/lib/validation/targets";
import { pushToTarget } from "@/server/deploy/deploy";
import { scanTarget } from "@/server/drift/drift";
import { resolveDrift } from "@/server/drift/drift-resolution";
import { orgAction, orgSteps } from "@/server/entry/action";
import { createTarget, testTarget } from "@/server/targets/sync-targets";
import { rotateTargetSecret, setTargetActive, updateTarget } from "@/server/targets/target-settings";

const target = z.object({ id: z.uuid("Unknown target") });
const PUSH = perRow("value:write", "pushToTarget: write in the target's environment");

/**
 * Adds a target; a generated secret comes back this once (for an HTTP receiver). A production target waits for a
 * reviewer, with the reason.
 */
export const createTargetAction = orgAction({
  call: "form",
  input: targetInput.and(z.object({ reason: optionalText(1000) })),
  capability: "environment:manage",
  revalidate: "/drift",
  run: (tx, ctx, { reason, ...input }) => createTarget(tx, ctx, input, { reason }),
});

/**
 * Saves a target's settings if nobody changed them since the form was opened; a risky production change
 * (a new location, deleting unmanaged keys) is sent for approval with the reason instead.
 */
export const updateTargetAction = orgAction({
  call: "form",
  input: targetSettings.and(z.object({ reason: optionalText(1000) })),
  capability: "environment:manage",
  revalidate: "/drift",
  run: (tx, ctx, { reason, ...input }) => updateTarget(tx, ctx, input, { reason }),
});

/** Replaces the shared secret; a generated one comes back this once. */
export const rotateSecretAction = orgAction({
  call: "form",
  input: targetSecret,
  capability: "environment:manage",
  revalidate: "/drift",
  run: (tx, ctx, input) => rotateTargetSecret(tx, ctx, input),
});

export const setTargetActiveAction = orgAction({
  call: "input",
  input: target.extend({ active: z.boolean() }),
  capability: "environment:manage",
  revalidate: "/",
  run: (tx, ctx, i) => setTargetActive(tx, ctx, i),
});

export const testTargetAction = orgSteps({
  call: "input",
  input: target,
  capability: "environment:manage",
  revalidate: "/drift",
  run: (ctx, i) => testTarget(ctx, i.id),
});

export const scanTargetAction = orgSteps({
  call: "input",
  input: target,
  capability: perRow("value:read", "scanTarget: read in the target's environment"),
  revalidate: "/",
  run: (ctx, i) => scanTarget(ctx, i.id),
});

export const pushTargetAction = orgSteps({
  call: "input",
  input: target,
  capability: PUSH,
  revalidate: "/",
  run: (ctx, i) => pushToTarget(ctx, { targetId: i.id }),
});

export const rollbackAction = orgSteps({
  call: "input",
  input: target.extend({ syncId: z.uuid() }),
  capability: PUSH,
  revalidate: "/",
  run: (ctx, i) => pushToTarget(ctx, { targetId: i.id, rollbackOf: i.syncId }),
});

/** Each branch declares its own check: push needs write there, adopt read first, dismiss drift:resolve there. */
const resolveCapability = (i: { action: "push" | "adopt" | "dismiss" }) =>
  i.action === "push"
    ? PUSH
    : i.action === "adopt"
      ? perRow("value:read", "resolveDrift: read in the environment, then the value gate")
      : perRow("drift:resolve", "resolveDrift: drift:resolve in the environment's tier, or write there");

export const resolveDriftAction = orgSteps({
  call: "form",
  input: z.object({
    id: z.uuid("Unknown drift"),
    action: z.enum(["push", "adopt", "dismiss"], { error: "Choose how to resolve it" }),
    note: optionalText(1000),
  }),
  capability: resolveCapability,
  revalidate: "/",
  run: (ctx, i) => resolveDrift(ctx, i),
});
