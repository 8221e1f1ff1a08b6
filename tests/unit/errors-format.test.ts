import { describe, expect, it } from "vitest";
import { AppError, ERROR_CODES } from "@/lib/errors";
import { describeWindow, formatInZone, formatStamp } from "@/lib/format";
import { maskedValue, shortHash } from "@/lib/mask";

describe("errors", () => {
  it("maps every code to a 4xx/5xx status and a sentence", () => {
    for (const [code, { status, message }] of Object.entries(ERROR_CODES)) {
      expect(status, code).toBeGreaterThanOrEqual(400);
      expect(message, code).toMatch(/\.$/);
    }
  });

  it("carries field errors and safe metadata", () => {
    const error = new AppError("conflict:version", undefined, { currentVersion: 4 });
    expect(error).toMatchObject({ status: 409, meta: { currentVersion: 4 } });
    expect(error.message).toMatch(/changed/);
    expect(new AppError("validation", { name: ["Name is required"] }).fieldErrors).toEqual({
      name: ["Name is required"],
    });
  });

  it("only user errors are 4xx", () => {
    expect(new AppError("locked:wedding_hours").status).toBe(423);
    expect(new AppError("unavailable:database").status).toBe(503);
  });
});

describe("formatting", () => {
  const at = new Date("2026-11-29T23:59:00Z");

  it("shows instants in the organization's zone", () => {
    expect(formatInZone(at, "Europe/London")).toBe("29 Nov 2026, 23:59 (Europe/London)");
    expect(formatInZone(at, "America/New_York")).toBe("29 Nov 2026, 18:59 (America/New_York)");
    expect(formatStamp(new Date("2026-07-04T12:00:00Z"), "Europe/London")).toBe("4 Jul 2026, 13:00");
  });

  it("describes weekly windows with ISO days", () => {
    expect(describeWindow({ startDay: 5, startTime: "18:00:00", endDay: 7, endTime: "24:00:00" })).toBe(
      "Friday 18:00 → Sunday 24:00",
    );
  });

  it("masks every value the same way", () => {
    expect(maskedValue()).toBe("••••••••");
    expect(shortHash("abcdef0123456789")).toBe("abcdef01");
    expect(shortHash(null)).toBe("—");
  });
});
