"use server";

import { z } from "zod";
import { pushToTarget } from "@/db/mutations/deploy";
import { scanTarget } from "@/db/mutations/drift";
import { resolveDrift } from "@/db/mutations/drift-resolution";
import { createTarget, testTarget } from "@/db/mutations/sync-targets";
import { rotateTargetSecret, setTargetActive, updateTarget } from "@/db/mutations/target-settings";
import { memberOnly } from "@/lib/declared";
import { optionalText } from "@/lib/validation/fields";
import { targetInput, targetSecret, targetSettings } from "@/lib/validation/targets";
import { runAction, runSteps } from "@/server/action";

const target = z.object({ id: z.uuid("Unknown target") });

/**
 * Adds a target; a generated secret comes back this once (for an HTTP receiver). A production target waits for a
 * reviewer, with the reason.
 */
export async function createTargetAction(org: string, _prev: unknown, form: FormData) {
  return runAction(
    org,
    targetInput.and(z.object({ reason: optionalText(1000) })),
    form,
    (tx, ctx, { reason, ...input }) => createTarget(tx, ctx, input, { reason }),
    { capability: "environment:manage", revalidate: "/drift" },
  );
}

/**
 * Saves a target's settings if nobody changed them since the form was opened; a risky production change
 * (a new location, deleting unmanaged keys) is sent for approval with the reason instead.
 */
export async function updateTargetAction(org: string, _prev: unknown, form: FormData) {
  return runAction(
    org,
    targetSettings.and(z.object({ reason: optionalText(1000) })),
    form,
    (tx, ctx, { reason, ...input }) => updateTarget(tx, ctx, input, { reason }),
    { capability: "environment:manage", revalidate: "/drift" },
  );
}

/** Replaces the shared secret; a generated one comes back this once. */
export async function rotateSecretAction(org: string, _prev: unknown, form: FormData) {
  return runAction(org, targetSecret, form, (tx, ctx, input) => rotateTargetSecret(tx, ctx, input), {
    capability: "environment:manage",
    revalidate: "/drift",
  });
}

export async function setTargetActiveAction(org: string, input: { id: string; active: boolean }) {
  return runAction(
    org,
    target.extend({ active: z.boolean() }),
    input,
    (tx, ctx, i) => setTargetActive(tx, ctx, i),
    { capability: "environment:manage", revalidate: "/" },
  );
}

export async function testTargetAction(org: string, input: { id: string }) {
  return runSteps(org, target, input, (ctx, i) => testTarget(ctx, i.id), {
    capability: "environment:manage",
    revalidate: "/drift",
  });
}

export async function scanTargetAction(org: string, input: { id: string }) {
  return runSteps(org, target, input, (ctx, i) => scanTarget(ctx, i.id), {
    capability: memberOnly("read permission on the environment's values (scanTarget)"),
    revalidate: "/",
  });
}

export async function pushTargetAction(org: string, input: { id: string }) {
  return runSteps(org, target, input, (ctx, i) => pushToTarget(ctx, { targetId: i.id }), {
    capability: memberOnly("write permission on the environment (pushToTarget)"),
    revalidate: "/",
  });
}

export async function rollbackAction(org: string, input: { id: string; syncId: string }) {
  return runSteps(
    org,
    target.extend({ syncId: z.uuid() }),
    input,
    (ctx, i) => pushToTarget(ctx, { targetId: i.id, rollbackOf: i.syncId }),
    { capability: memberOnly("write permission on the environment (pushToTarget)"), revalidate: "/" },
  );
}

/** Each branch declares its own check: push needs write there, adopt read first, dismiss drift:resolve or write. */
const resolveCapability = (i: { action: "push" | "adopt" | "dismiss" }) =>
  i.action === "push"
    ? memberOnly("write permission on the environment (pushToTarget)")
    : i.action === "adopt"
      ? memberOnly("read permission on the environment's values, then the value gate (resolveDrift)")
      : memberOnly("drift:resolve, or write permission on the environment (resolveDrift)");

export async function resolveDriftAction(org: string, _prev: unknown, form: FormData) {
  const schema = z.object({
    id: z.uuid("Unknown drift"),
    action: z.enum(["push", "adopt", "dismiss"], { error: "Choose how to resolve it" }),
    note: optionalText(1000),
  });
  return runSteps(org, schema, form, (ctx, i) => resolveDrift(ctx, i), {
    capability: resolveCapability,
    revalidate: "/",
  });
}
