import { TZDate } from "@date-fns/tz";
import { format } from "date-fns";

/**
 * The one place dates are formatted for people (docs/architecture.md, "Dates"). Always in the organization's
 * time zone, never the server's or the browser's; one format for dates, one for date-times:
 * - a date: "10 Dec 2026";
 * - a date-time: "10 Dec 2026, 14:05", with " (Europe/London)" where the zone matters (a lock's end, a
 *   break-glass session's end, a blackout, an invitation's validity).
 * Date-only values ("2026-12-10", from a date input) are days in the organization's zone: never parse them
 * with `new Date("2026-12-10")` (that is UTC midnight, the day before in the Americas).
 */
const DATE = "d MMM yyyy";
const DATE_TIME = "d MMM yyyy, HH:mm";

/** "10 Dec 2026": the day an instant falls on in the zone. */
export function formatDate(at: Date, timeZone: string): string {
  return format(new TZDate(at.getTime(), timeZone), DATE);
}

/** "10 Dec 2026, 14:05" in the zone; `{ zone: true }` adds " (Europe/London)". */
export function formatDateTime(at: Date, timeZone: string, options: { zone?: boolean } = {}): string {
  const text = format(new TZDate(at.getTime(), timeZone), DATE_TIME);
  return options.zone ? `${text} (${timeZone})` : text;
}

/** "10 Dec 2026, 14:05 (Europe/London)": an instant where its zone matters. */
export const formatInZone = (at: Date, timeZone: string): string =>
  formatDateTime(at, timeZone, { zone: true });

/** "10 Dec 2026, 14:05": timestamps in tables (the page says which zone). */
export const formatStamp = (at: Date, timeZone: string): string => formatDateTime(at, timeZone);

/**
 * The last day something that ends at `end` applies ("expires 10 Dec" ends at 00:00 on the 11th): shown as
 * that day, not the next one.
 */
export function formatLastDay(end: Date, timeZone: string): string {
  return formatDate(new Date(end.getTime() - 1), timeZone);
}

/** The instant a date-only day ("2026-12-10") ends in the zone: 00:00 local on the next day. */
export function endOfDayIn(day: string, timeZone: string): Date {
  const [y, m, d] = day.split("-").map(Number);
  return new Date(new TZDate(y, m - 1, d + 1, 0, 0, 0, 0, timeZone).getTime());
}

/** "2026-12-10": today in the zone (compare with date-only input). */
export function todayIn(at: Date, timeZone: string): string {
  return format(new TZDate(at.getTime(), timeZone), "yyyy-MM-dd");
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

/** The browser's own time zone (client components only): a default the user may change. */
export const browserTimeZone = (): string => Intl.DateTimeFormat().resolvedOptions().timeZone;
