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

/** "3 min", "5 h", "2 d": how long ago (or how long until) an instant is, for queues. */
export function duration(from: Date, to: Date): string {
  const minutes = Math.max(0, Math.round(Math.abs(to.getTime() - from.getTime()) / 60_000));
  if (minutes < 60) return `${minutes} min`;
  if (minutes < 48 * 60) return `${Math.round(minutes / 60)} h`;
  return `${Math.round(minutes / 1440)} d`;
}
