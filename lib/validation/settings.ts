import { z } from "zod";
import { optionalText, requiredText } from "./fields";

const zones = new Set(["UTC", ...Intl.supportedValuesOf("timeZone")]);

export const timeZoneInput = z.object({
  timeZone: z.string().refine((tz) => zones.has(tz), "Choose a time zone from the list"),
});

const day = z.coerce.number({ error: "Choose a day" }).int().min(1, "Choose a day").max(7, "Choose a day");
const hhmm = (max: string) =>
  z
    .string()
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

const localDateTime = z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/, "Choose a date and time");

export const blackoutInput = z
  .object({ startsAt: localDateTime, endsAt: localDateTime, reason: requiredText(200, "Reason") })
  .refine((b) => b.endsAt > b.startsAt, { path: ["endsAt"], message: "Must be after the start" });
