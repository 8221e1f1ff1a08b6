import { z } from "zod";
import { localDateTime } from "./dates";
import { optionalText, requiredText, safeString } from "./fields";

const zones = new Set(["UTC", ...Intl.supportedValuesOf("timeZone")]);

/** A new time zone moves every weekly window: a four-eyes change, so it carries a reason. */
export const timeZoneInput = z.object({
  timeZone: safeString(100).refine((tz) => zones.has(tz), "Choose a time zone from the list"),
  reason: optionalText(1000),
});

/** A weekly window or a blackout to remove (a four-eyes change: the form adds a reason). */
export const protectionRef = z.object({ kind: z.enum(["window", "blackout"]), id: z.uuid() });

/** A weekly window in force cannot be removed; one this long or longer could never be (seconds in 4 days). */
export const MAX_WINDOW_SECONDS = 4 * 86400;
/** The same for blackouts (a one-off lock, e.g. a flagship wedding; longer locks are several), and how far
 * ahead one may start. */
export const MAX_BLACKOUT_DAYS = 14;
export const MAX_BLACKOUT_LEAD_DAYS = 366;

const day = z.coerce.number({ error: "Choose a day" }).int().min(1, "Choose a day").max(7, "Choose a day");
const hhmm = (max: string) =>
  safeString(10)
    .trim()
    .regex(/^([01]\d|2[0-4]):[0-5]\d$/, "Use HH:MM, e.g. 18:00")
    .refine((t) => t <= max, `Latest is ${max}`);

const seconds = (day: number, time: string) =>
  (day - 1) * 86400 + Number(time.slice(0, 2)) * 3600 + Number(time.slice(3, 5)) * 60;

/** How long a weekly window lasts (it may wrap over the end of the week). */
export const windowSeconds = (w: { startDay: number; startTime: string; endDay: number; endTime: string }) =>
  (seconds(w.endDay, w.endTime) - seconds(w.startDay, w.startTime) + 7 * 86400) % (7 * 86400);

export const weeklyWindowInput = z
  .object({
    startDay: day,
    startTime: hhmm("23:59"),
    endDay: day,
    endTime: hhmm("24:00"),
    label: optionalText(100),
  })
  .superRefine((w, ctx) => {
    const length = windowSeconds(w);
    if (length === 0)
      ctx.addIssue({ code: "custom", path: ["endTime"], message: "Must end after it starts" });
    else if (length > MAX_WINDOW_SECONDS)
      ctx.addIssue({
        code: "custom",
        path: ["endTime"],
        message: "A weekly window is at most 4 days long (a window in force cannot be removed)",
      });
  });

/** A local date and time (already a real one: `localDateTime`) read as UTC, to compare lengths in one zone. */
const asUtc = (local: string) => Date.parse(`${local}:00Z`);

export const blackoutInput = z
  .object({ startsAt: localDateTime, endsAt: localDateTime, reason: requiredText(200, "Reason") })
  .superRefine((b, ctx) => {
    const start = asUtc(b.startsAt);
    const end = asUtc(b.endsAt);
    if (end <= start) ctx.addIssue({ code: "custom", path: ["endsAt"], message: "Must be after the start" });
    else if (end - start > MAX_BLACKOUT_DAYS * 86400_000)
      ctx.addIssue({
        code: "custom",
        path: ["endsAt"],
        message: `A blackout is at most ${MAX_BLACKOUT_DAYS} days long (one in force cannot be removed)`,
      });
    if (start > Date.now() + MAX_BLACKOUT_LEAD_DAYS * 86400_000)
      ctx.addIssue({ code: "custom", path: ["startsAt"], message: "Starts within a year from now" });
  });
