"use server";

import { after } from "next/server";
import { z } from "zod";
import { keyPolicyInput, keyRef } from "@/lib/validation/keys";
import { orgAction } from "@/server/entry/action";
import { revokeKey, saveKeyPolicy, startRotation } from "@/server/keys/rotation";
import { queueKeyRotation } from "@/server/keys/rotation-jobs";

const manage = { call: "form", capability: "keys:manage", revalidate: "/settings/keys" } as const;

/** Starts a data-key rotation; the job is queued once the answer is sent (the transaction has committed). */
export const startRotationAction = orgAction({
  ...manage,
  // The form says so in a hidden field: an empty or stray post (a crawler, the fuzz) starts nothing.
  input: z.strictObject({ confirm: z.literal("rotate", { error: "Press Rotate data key to rotate" }) }),
  run: async (tx, ctx) => {
    const rotation = await startRotation(tx, ctx);
    after(() => queueKeyRotation(ctx.organizationId, rotation.id));
    return { id: rotation.id, total: rotation.total };
  },
});

export const revokeKeyAction = orgAction({
  ...manage,
  input: keyRef,
  run: (tx, ctx, input) => revokeKey(tx, ctx, input),
});

export const saveKeyPolicyAction = orgAction({
  ...manage,
  input: keyPolicyInput,
  run: (tx, ctx, input) => saveKeyPolicy(tx, ctx, input),
});
