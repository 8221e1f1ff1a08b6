"use client";

import { useEffect, useState } from "react";
import { Field } from "@/components/ui/field";
import { Select } from "@/components/ui/select";
import { browserTimeZone } from "@/lib/format";

/** The organization's time zone, preset to the browser's own once it is known (wedding hours follow it). */
export function TimeZoneField({ zones, error }: { zones: string[]; error?: string[] }) {
  const [zone, setZone] = useState("UTC");
  useEffect(() => {
    const own = browserTimeZone();
    if (zones.includes(own)) setZone(own);
  }, [zones]);
  return (
    <Field
      label="Time zone"
      htmlFor="o-timeZone"
      hint="Wedding hours (Friday 18:00 to the end of Sunday, to start with) are in this zone"
      error={error}
    >
      <Select id="o-timeZone" name="timeZone" value={zone} onChange={(e) => setZone(e.target.value)}>
        {zones.map((z) => (
          <option key={z} value={z}>
            {z}
          </option>
        ))}
      </Select>
    </Field>
  );
}
