import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

/** Every date the UI shows goes through lib/format.ts (one format, the organization's zone): no ad-hoc formatting. */
const AD_HOC =
  /toLocale(Date|Time)String|Intl\.DateTimeFormat|from "date-fns"|from "@date-fns\/tz"|toLocaleString\([^)]*timeZone/;

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? files(full) : /\.tsx?$/.test(name) ? [full] : [];
  });
}

describe("date formatting", () => {
  it("components and pages format dates only through lib/format.ts", () => {
    const offenders = [...files("components"), ...files("app")].flatMap((file) =>
      readFileSync(file, "utf8")
        .split("\n")
        .map((line, i) => (AD_HOC.test(line) ? `${file}:${i + 1}: ${line.trim()}` : null))
        .filter((x): x is string => x !== null),
    );
    expect(offenders).toEqual([]);
  });
});
