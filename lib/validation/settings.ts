import { z } from "zod";
import { localDateTime } from "./dates";
import { optionalText, requiredText, safeString } from "./fields";

const zones = new Set(["UTC", ...Intl.supportedValuesOf("timeZone")]);

export const timeZoneInput = z.object({
  timeZone: safeString(100).refine((tz) => zones.has(tz), "Choose a time zone from the list"),
});

const day = z.coerce.number({ error: "Choose a day" }).int().min(1, "Choose a day").max(7, "Choose a day");
const hhmm = (max: string) =>
  safeString(10)
    .trim()
    .regex(/^([01]\d|2[0-4]):[0-5]\d$/, "Use HH:MM, e.g. 18:00")
    .refine((t) => t <= max, `Latest is ${max}`);

export const weeklyWindowInput = z.object({
  startDay: day,
  startTime: hhmm("23:59"),
  endDay: day,
  endTime: hhmm("24:00"),
  label: optionalText(100),
});

/** A blackout is a one-off lock (a flagship wedding): longer locks are several blackouts, each audited. */
export const MAX_BLACKOUT_DAYS = 14;

/** Minutes between two local date-times "YYYY-MM-DDTHH:MM" (the same zone, so no offset matters here). */
const minutesBetween = (from: string, to: string) =>
  (Date.parse(`${to}:00Z`) - Date.parse(`${from}:00Z`)) / 60_000;

export const blackoutInput = z
  .object({ startsAt: localDateTime, endsAt: localDateTime, reason: requiredText(200, "Reason") })
  .refine((b) => b.endsAt > b.startsAt, { path: ["endsAt"], message: "Must be after the start" })
  .refine((b) => minutesBetween(b.startsAt, b.endsAt) <= MAX_BLACKOUT_DAYS * 24 * 60, {
    path: ["endsAt"],
    message: `A blackout lasts at most ${MAX_BLACKOUT_DAYS} days: add another for a longer lock`,
  });
