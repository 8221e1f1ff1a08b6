"use server";

import { optionalText } from "@/lib/validation/fields";
import { blackoutInput, protectionRef, timeZoneInput, weeklyWindowInput } from "@/lib/validation/settings";
import { orgAction } from "@/server/entry/action";
import { addBlackout, addWindow, removeProtection, setTimeZone } from "@/server/organizations/settings";

const settings = { call: "form", capability: "settings:manage", revalidate: "/" } as const;

export const setTimeZoneAction = orgAction({
  ...settings,
  input: timeZoneInput,
  run: (tx, ctx, i) => setTimeZone(tx, ctx, i),
});

export const addWindowAction = orgAction({
  ...settings,
  input: weeklyWindowInput,
  run: (tx, ctx, i) => addWindow(tx, ctx, i),
});

/** Removing a window or a blackout loosens wedding hours: it waits for a reviewer, with a reason. */
export const removeProtectionAction = orgAction({
  ...settings,
  input: protectionRef.extend({ reason: optionalText(1000) }),
  run: (tx, ctx, { reason, ...input }) => removeProtection(tx, ctx, input, { reason }),
});

export const addBlackoutAction = orgAction({
  ...settings,
  input: blackoutInput,
  run: (tx, ctx, i) => addBlackout(tx, ctx, i),
});
