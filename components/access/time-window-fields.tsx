"use client";

import { useState } from "react";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { DAY_ABBREVIATIONS } from "@/lib/time-restrictions";

const DAY_NAMES = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];

/**
 * The optional time window of a grant: days of the week and a local time range in the organization's zone.
 * The checked days travel as one hidden field ("1,2,3,4,5"); nothing checked and no times means always.
 */
export function TimeWindowFields({
  errors,
  timeZone,
}: {
  errors?: Record<string, string[]>;
  timeZone: string;
}) {
  const [days, setDays] = useState<number[]>([]);
  const toggle = (day: number, on: boolean) =>
    setDays((current) => (on ? [...current, day] : current.filter((d) => d !== day)).sort((a, b) => a - b));
  return (
    <fieldset className="col-span-2 space-y-2" aria-describedby="g-window-hint">
      <legend className="text-sm font-medium text-gray-800">Only at these times (optional)</legend>
      <p id="g-window-hint" className="text-xs text-gray-500">
        Days and hours in {timeZone}. No days and no times: always. An end before the start runs overnight
        into the next day.
      </p>
      <input type="hidden" name="days" value={days.join(",")} />
      <div className="flex flex-wrap gap-3">
        {DAY_ABBREVIATIONS.map((abbr, i) => (
          <label key={abbr} className="inline-flex items-center gap-1.5 text-sm">
            <input
              type="checkbox"
              className="h-4 w-4 rounded border-gray-300"
              checked={days.includes(i + 1)}
              onChange={(ev) => toggle(i + 1, ev.target.checked)}
              aria-label={DAY_NAMES[i]}
            />
            {abbr}
          </label>
        ))}
      </div>
      {errors?.days?.length ? (
        <p role="alert" className="text-xs text-red-700">
          {errors.days.join(" ")}
        </p>
      ) : null}
      <div className="grid max-w-md grid-cols-2 gap-4">
        <Field label="Start time" htmlFor="g-from" error={errors?.from}>
          <Input id="g-from" name="from" type="time" />
        </Field>
        <Field label="End time" htmlFor="g-to" error={errors?.to}>
          <Input id="g-to" name="to" type="time" />
        </Field>
      </div>
    </fieldset>
  );
}
