import { TZDate } from "@date-fns/tz";

/**
 * A grant's time-of-day restriction, in the organization's time zone ({} = always). ISO days, 1 = Monday …
 * 7 = Sunday; times are local "HH:MM".
 * - days only: all day on those days;
 * - from < to: from (inclusive) to `to` (exclusive) on each listed day;
 * - from > to: overnight, from `from` on a listed day to `to` on the next day (the day the window starts
 *   counts, so Fri 22:00–06:00 covers Saturday 05:59 but not Friday 05:59);
 * - times without days: every day.
 * Anything else (from = to, only one time, an empty day list) never matches; the form refuses to store it.
 * `app_policy_time_ok` in SQL (migration 0012) applies the same rules, tested against this one.
 */
export type TimeRestriction = { days?: number[]; from?: string; to?: string };

export const DAY_ABBREVIATIONS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"] as const;

export const isUnrestricted = (r: TimeRestriction | null | undefined): boolean =>
  !r || (r.days == null && r.from == null && r.to == null);

const minuteOfDay = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/** Whether a grant with this restriction applies at an instant, in the organization's time zone. */
export function timeRestrictionAllows(
  r: TimeRestriction | null | undefined,
  timeZone: string,
  at: Date,
): boolean {
  if (isUnrestricted(r) || !r) return true;
  const local = new TZDate(at.getTime(), timeZone);
  const day = local.getDay() === 0 ? 7 : local.getDay();
  const previous = day === 1 ? 7 : day - 1;
  const minute = local.getHours() * 60 + local.getMinutes();
  const onDay = (d: number) => r.days == null || r.days.includes(d);
  if (r.from == null && r.to == null) return onDay(day);
  if (r.from == null || r.to == null) return false;
  const from = minuteOfDay(r.from);
  const to = minuteOfDay(r.to);
  if (from < to) return onDay(day) && minute >= from && minute < to;
  if (from > to) return (onDay(day) && minute >= from) || (onDay(previous) && minute < to);
  return false;
}

/** "Mon–Fri", "Sat, Sun", "Mon, Wed, Fri", "every day". */
export function describeDays(days: number[] | undefined): string {
  if (days == null) return "every day";
  const sorted = [...new Set(days)].filter((d) => d >= 1 && d <= 7).sort((a, b) => a - b);
  if (sorted.length === 7) return "every day";
  if (sorted.length === 0) return "no day";
  const runs: number[][] = [];
  for (const d of sorted) {
    const run = runs.at(-1);
    if (run && run[run.length - 1] === d - 1) run.push(d);
    else runs.push([d]);
  }
  const name = (d: number) => DAY_ABBREVIATIONS[d - 1];
  return runs
    .map((run) =>
      run.length >= 3 ? `${name(run[0])}–${name(run[run.length - 1])}` : run.map(name).join(", "),
    )
    .join(", ");
}

/** "Mon–Fri 09:00–18:00", "Fri 22:00–06:00 next day", "Sat, Sun" (all day); "always" when unrestricted. */
export function describeTimeRestriction(r: TimeRestriction | null | undefined): string {
  if (isUnrestricted(r) || !r) return "always";
  const days = describeDays(r.days);
  if (r.from == null || r.to == null) return days;
  return `${days} ${r.from}–${r.to}${r.from > r.to ? " next day" : ""}`;
}
