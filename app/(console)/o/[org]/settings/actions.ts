"use server";

import { z } from "zod";
import { addBlackout, addWindow, removeBlackout, removeWindow, setTimeZone } from "@/db/mutations/settings";
import { blackoutInput, timeZoneInput, weeklyWindowInput } from "@/lib/validation/settings";
import { runAction } from "@/server/action";

const byId = z.object({ id: z.uuid() });

export async function setTimeZoneAction(org: string, _prev: unknown, form: FormData) {
  return runAction(org, timeZoneInput, form, (tx, ctx, i) => setTimeZone(tx, ctx, i.timeZone), {
    revalidate: "/",
  });
}

export async function addWindowAction(org: string, _prev: unknown, form: FormData) {
  return runAction(org, weeklyWindowInput, form, (tx, ctx, i) => addWindow(tx, ctx, i), { revalidate: "/" });
}

export async function removeWindowAction(org: string, _prev: unknown, form: FormData) {
  return runAction(org, byId, form, (tx, ctx, i) => removeWindow(tx, ctx, i.id), { revalidate: "/" });
}

export async function addBlackoutAction(org: string, _prev: unknown, form: FormData) {
  return runAction(org, blackoutInput, form, (tx, ctx, i) => addBlackout(tx, ctx, i), { revalidate: "/" });
}

export async function removeBlackoutAction(org: string, _prev: unknown, form: FormData) {
  return runAction(org, byId, form, (tx, ctx, i) => removeBlackout(tx, ctx, i.id), { revalidate: "/" });
}
