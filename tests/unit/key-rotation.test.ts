import { describe, expect, it } from "vitest";
import { dataKeyDue, rotationProgress } from "@/lib/key-rotation";

const figures = (over: Partial<Parameters<typeof rotationProgress>[0]> = {}) => ({
  status: "running" as const,
  total: 1000,
  processed: 250,
  succeeded: 250,
  failed: 0,
  startedAt: new Date("2026-12-04T10:00:00Z"),
  finishedAt: null,
  ...over,
});

describe("a rotation's progress", () => {
  it("is processed of processed + remaining, with the rate since it started and the time left at that rate", () => {
    const p = rotationProgress(figures(), 750, new Date("2026-12-04T10:00:10Z"));
    expect(p).toEqual({ remaining: 750, percent: 25, ratePerSecond: 25, etaSeconds: 30 });
  });

  it("stays below 100 % while anything remains, and is 100 % once it has ended", () => {
    expect(rotationProgress(figures({ processed: 999, succeeded: 999 }), 1, new Date()).percent).toBe(99);
    const ended = figures({
      status: "completed",
      processed: 900,
      finishedAt: new Date("2026-12-04T10:00:09Z"),
    });
    expect(rotationProgress(ended, 0, new Date("2026-12-05T00:00:00Z"))).toEqual({
      remaining: 0,
      percent: 100,
      ratePerSecond: 100,
      etaSeconds: null,
    });
  });

  it("says nothing of the time left before a row is done", () => {
    expect(rotationProgress(figures({ processed: 0, succeeded: 0 }), 1000, new Date()).etaSeconds).toBeNull();
  });
});

describe("whether the data key is due for rotation", () => {
  const since = new Date("2026-09-01T12:00:00Z");
  it("is never due without an interval", () => {
    expect(dataKeyDue(since, null, new Date("2030-01-01T00:00:00Z"))).toBeNull();
  });
  it("is not due before the interval has passed, and is due from then on, with the days overdue", () => {
    expect(dataKeyDue(since, 90, new Date("2026-11-30T11:59:59Z"))).toBeNull();
    expect(dataKeyDue(since, 90, new Date("2026-11-30T12:00:00Z"))).toEqual({
      dueAt: new Date("2026-11-30T12:00:00Z"),
      overdueDays: 0,
      ageDays: 90,
    });
    expect(dataKeyDue(since, 90, new Date("2026-12-04T13:00:00Z"))?.overdueDays).toBe(4);
  });
});
