import { describe, expect, it } from "vitest";
import { ReplayGuard } from "@/lib/replay-guard";
import { MAX_SKEW_MS } from "@/lib/sync-protocol";

const T = 1767225600000;

/** A guard on a clock the test moves by hand. */
function guardAt(start = T, limit?: number) {
  const clock = { now: start };
  const guard = new ReplayGuard({ limit, clock: () => clock.now });
  return { guard, clock };
}

describe("ReplayGuard", () => {
  it("accepts a signature once and refuses it for as long as it could still verify", () => {
    const { guard, clock } = guardAt();
    expect(guard.check("v1=a", T)).toBe("new");
    expect(guard.check("v1=a", T)).toBe("replayed");
    expect(guard.check("v1=b", T)).toBe("new");
    clock.now = T + MAX_SKEW_MS; // the last moment the signature passes the clock check
    expect(guard.check("v1=a", T)).toBe("replayed");
  });

  it("refuses a signature dated before it started, whatever it remembers (a restart reopens nothing)", () => {
    const { guard } = guardAt();
    expect(guard.check("v1=before", T - 1)).toBe("early");
    expect(guard.check("v1=before", T - 1)).toBe("early");
    expect(guard.size).toBe(0);
    expect(guard.check("v1=at-start", T)).toBe("new");
  });

  it("forgets a signature once it is too old to verify", () => {
    const { guard, clock } = guardAt(T - 1000);
    clock.now = T;
    guard.check("v1=old", T - 1000);
    guard.check("v1=recent", T);
    clock.now = T + MAX_SKEW_MS;
    guard.check("v1=now", clock.now);
    expect(guard.size).toBe(2);
  });

  it("keeps a signature dated in the future at most 2 × MAX_SKEW_MS", () => {
    const { guard, clock } = guardAt();
    guard.check("v1=future", T + 10 * MAX_SKEW_MS);
    clock.now = T + 2 * MAX_SKEW_MS;
    expect(guard.check("v1=future", T + 10 * MAX_SKEW_MS)).toBe("replayed");
    clock.now += 1;
    guard.check("v1=later", clock.now);
    expect(guard.size).toBe(1);
  });

  it("when full, refuses new signatures rather than forgetting unexpired ones, and makes room as they expire", () => {
    const { guard, clock } = guardAt(T, 2);
    expect(guard.check("v1=a", T)).toBe("new");
    clock.now = T + 10;
    expect(guard.check("v1=b", T + 10)).toBe("new");
    expect(guard.check("v1=c", T + 10)).toBe("full");
    expect(guard.check("v1=a", T)).toBe("replayed");
    expect(guard.check("v1=b", T + 10)).toBe("replayed");
    clock.now = T + MAX_SKEW_MS + 1;
    expect(guard.check("v1=c", T + 10)).toBe("new");
    expect(guard.check("v1=b", T + 10)).toBe("replayed");
    expect(guard.size).toBe(2);
  });
});
