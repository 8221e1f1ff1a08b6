"use server";

import { z } from "zod";
import { addBlackout, addWindow, removeProtection, setTimeZone } from "@/db/mutations/settings";
import { optionalText } from "@/lib/validation/fields";
import { blackoutInput, timeZoneInput, weeklyWindowInput } from "@/lib/validation/settings";
import { runAction } from "@/server/action";

export async function setTimeZoneAction(org: string, _prev: unknown, form: FormData) {
  return runAction(org, timeZoneInput, form, (tx, ctx, i) => setTimeZone(tx, ctx, i), {
    capability: "settings:manage",
    revalidate: "/",
  });
}

export async function addWindowAction(org: string, _prev: unknown, form: FormData) {
  return runAction(org, weeklyWindowInput, form, (tx, ctx, i) => addWindow(tx, ctx, i), {
    capability: "settings:manage",
    revalidate: "/",
  });
}

/** Removing a window or a blackout loosens wedding hours: it waits for a reviewer, with a reason. */
export async function removeProtectionAction(org: string, _prev: unknown, form: FormData) {
  const schema = z.object({ kind: z.enum(["window", "blackout"]), id: z.uuid(), reason: optionalText(1000) });
  return runAction(
    org,
    schema,
    form,
    (tx, ctx, { reason, ...input }) => removeProtection(tx, ctx, input, { reason }),
    { capability: "settings:manage", revalidate: "/" },
  );
}

export async function addBlackoutAction(org: string, _prev: unknown, form: FormData) {
  return runAction(org, blackoutInput, form, (tx, ctx, i) => addBlackout(tx, ctx, i), {
    capability: "settings:manage",
    revalidate: "/",
  });
}
