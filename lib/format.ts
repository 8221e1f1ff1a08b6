import { TZDate } from "@date-fns/tz";
import { format } from "date-fns";

/** "Sun 29 Nov, 23:59 (Europe/London)": an instant shown in the organization's time zone. */
export function formatInZone(at: Date, timeZone: string): string {
  return `${format(new TZDate(at, timeZone), "EEE d MMM, HH:mm")} (${timeZone})`;
}

/** "2026-11-23 14:05": compact timestamps for tables, in the organization's time zone. */
export function formatStamp(at: Date, timeZone: string): string {
  return format(new TZDate(at, timeZone), "yyyy-MM-dd HH:mm");
}

export const ISO_DAYS = [
  "Monday",
  "Tuesday",
  "Wednesday",
  "Thursday",
  "Friday",
  "Saturday",
  "Sunday",
] as const;

/** "Friday 18:00 → Sunday 24:00" for a weekly window (ISO days, 1 = Monday). */
export function describeWindow(w: {
  startDay: number;
  startTime: string;
  endDay: number;
  endTime: string;
}): string {
  const hhmm = (t: string) => t.slice(0, 5);
  return `${ISO_DAYS[w.startDay - 1]} ${hhmm(w.startTime)} → ${ISO_DAYS[w.endDay - 1]} ${hhmm(w.endTime)}`;
}
