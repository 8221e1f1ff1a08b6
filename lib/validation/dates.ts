import { z } from "zod";

/** Years a date field accepts: PostgreSQL refuses year 0, and nothing here is planned past 9999. */
const MIN_YEAR = 1900;
const MAX_YEAR = 9999;

/** True for a real calendar day "YYYY-MM-DD" (no 2025-02-31, no month 13) in the accepted years. */
export function isCalendarDay(s: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (!m) return false;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (year < MIN_YEAR || year > MAX_YEAR || month < 1 || month > 12 || day < 1) return false;
  return day <= new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** True for a real local date and time "YYYY-MM-DDTHH:MM" (00:00–23:59) on a real calendar day. */
export function isLocalDateTime(s: string): boolean {
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}):(\d{2})$/.exec(s);
  return m !== null && isCalendarDay(m[1]) && Number(m[2]) <= 23 && Number(m[3]) <= 59;
}

const DAY_MESSAGE = "Use a real date, YYYY-MM-DD";

/** An optional day field (URL filter or form): trimmed, empty means not set, otherwise a real date. */
export const optionalDay = z
  .string()
  .trim()
  .max(10, DAY_MESSAGE)
  .optional()
  .transform((v) => v || undefined)
  .refine((v) => v === undefined || isCalendarDay(v), DAY_MESSAGE);

/** A required local date and time from a datetime-local input. */
export const localDateTime = z
  .string({ error: "Choose a date and time" })
  .max(16, "Choose a date and time")
  .refine(isLocalDateTime, "Choose a real date and time");
