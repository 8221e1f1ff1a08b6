import { describe, expect, it } from "vitest";
import { endOfDayIn, formatDate, formatDateTime, formatLastDay, todayIn } from "@/lib/format";

// One module formats every date the console shows: dates "10 Dec 2026", date-times "10 Dec 2026, 14:05",
// with " (Zone)" where the zone matters — always in the organization's time zone, never the server's.
describe("dates and date-times", () => {
  it("formats an instant in the organization's zone, not the server's", () => {
    const at = new Date("2026-11-29T23:59:00Z");
    expect(formatDateTime(at, "Europe/London")).toBe("29 Nov 2026, 23:59");
    expect(formatDateTime(at, "America/New_York")).toBe("29 Nov 2026, 18:59");
    expect(formatDateTime(at, "Pacific/Auckland", { zone: true })).toBe(
      "30 Nov 2026, 12:59 (Pacific/Auckland)",
    );
    expect(formatDate(at, "Pacific/Auckland")).toBe("30 Nov 2026");
    expect(formatDate(at, "Pacific/Honolulu")).toBe("29 Nov 2026");
  });

  it("a date-only expiry near midnight in a far zone ends at the end of that day there, shown as that day", () => {
    // A grant "expires 2026-12-10" in Auckland (UTC+13 in December) ends at 00:00 on the 11th, Auckland time.
    const end = endOfDayIn("2026-12-10", "Pacific/Auckland");
    expect(end.toISOString()).toBe("2026-12-10T11:00:00.000Z");
    expect(formatLastDay(end, "Pacific/Auckland")).toBe("10 Dec 2026");
    // The same instant read in UTC, or as a date-only value parsed as UTC midnight, is a different day:
    // the cause of "expiry shown a day late / a day early".
    expect(formatDate(end, "UTC")).toBe("10 Dec 2026");
    expect(formatLastDay(endOfDayIn("2026-12-10", "UTC"), "UTC")).toBe("10 Dec 2026");
    expect(endOfDayIn("2026-12-10", "Pacific/Honolulu").toISOString()).toBe("2026-12-11T10:00:00.000Z");
    expect(formatLastDay(endOfDayIn("2026-12-10", "Pacific/Honolulu"), "Pacific/Honolulu")).toBe(
      "10 Dec 2026",
    );
  });

  it("across a daylight-saving change the day still ends at local midnight", () => {
    // London leaves summer time on 25 Oct 2026: that day has 25 hours.
    expect(endOfDayIn("2026-10-25", "Europe/London").toISOString()).toBe("2026-10-26T00:00:00.000Z");
    expect(endOfDayIn("2026-10-24", "Europe/London").toISOString()).toBe("2026-10-24T23:00:00.000Z");
  });

  it("today is the organization's today", () => {
    const at = new Date("2026-12-09T20:00:00Z"); // already the 10th in Auckland, still the 9th in London
    expect(todayIn(at, "Pacific/Auckland")).toBe("2026-12-10");
    expect(todayIn(at, "Europe/London")).toBe("2026-12-09");
  });
});

describe("a grant's expiry in the form", () => {
  it("refuses a day already over everywhere; the organization's today is judged when it is stored", async () => {
    const { policyInput } = await import("@/lib/validation/access");
    const base = { subject: "role", role: "viewer", permission: "read", scope: "all", environments: "" };
    const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
    expect(policyInput.safeParse({ ...base, expiresAt: day(-2) }).success).toBe(false);
    // Tomorrow in UTC is still ahead in every zone: accepted here (grantPolicy checks the organization's zone).
    expect(policyInput.safeParse({ ...base, expiresAt: day(2) }).success).toBe(true);
  });
});
