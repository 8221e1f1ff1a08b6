import { describe, expect, it } from "vitest";
import { estimatedBloatBytes, healthFindings, sessionState, XID_LIMIT } from "@/lib/ops/health";

describe("the operator console's health rules", () => {
  it("flags a statement running a minute and a transaction idle half a minute, nothing shorter", () => {
    expect(sessionState({ state: "active", stateSeconds: 59 })).toBeNull();
    expect(sessionState({ state: "active", stateSeconds: 60 })).toBe("long_running");
    expect(sessionState({ state: "idle in transaction", stateSeconds: 29 })).toBeNull();
    expect(sessionState({ state: "idle in transaction", stateSeconds: 30 })).toBe("idle_in_transaction");
    expect(sessionState({ state: "idle in transaction (aborted)", stateSeconds: 300 })).toBe(
      "idle_in_transaction",
    );
    expect(sessionState({ state: "idle", stateSeconds: 3600 })).toBeNull();
    expect(sessionState({ state: null, stateSeconds: null })).toBeNull();
  });

  it("finds nothing in a healthy reading, and the worst first in a bad one", () => {
    const healthy = {
      connections: 10,
      maxConnections: 100,
      cacheHitRatio: 0.999,
      xidAge: 1e6,
      stuckSessions: 0,
    };
    expect(healthFindings(healthy)).toEqual([]);
    expect(healthFindings({ ...healthy, connections: 81 }).map((f) => f.level)).toEqual(["warning"]);
    expect(healthFindings({ ...healthy, connections: 80 })).toEqual([]);
    const bad = healthFindings({ ...healthy, connections: 96, cacheHitRatio: 0.95, xidAge: 0.6 * XID_LIMIT });
    expect(bad.map((f) => f.level)).toEqual(["critical", "critical", "warning"]);
    expect(bad[0].text).toBe("96 of 100 connections in use (96 %).");
    expect(bad[2].text).toBe("Cache hit ratio 95.00 % (under 99 %).");
    expect(healthFindings({ ...healthy, cacheHitRatio: null })).toEqual([]);
    expect(healthFindings({ ...healthy, stuckSessions: 2 })[0].text).toMatch(/^2 session/);
  });

  it("estimates the space of dead rows in proportion to them", () => {
    expect(estimatedBloatBytes({ tableBytes: 8192 * 100, liveTuples: 750, deadTuples: 250 })).toBe(204_800);
    expect(estimatedBloatBytes({ tableBytes: 8192, liveTuples: 0, deadTuples: 0 })).toBe(0);
  });
});
