import { describe, expect, it } from "vitest";
import { estimatedBloatBytes, healthFindings, sessionState, XID_LIMIT } from "@/lib/ops/health";
import { formatBytes, formatSeconds } from "@/lib/ops/units";

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

describe("sizes and ages on the operator console", () => {
  it("reads like pg_size_pretty, and ages in the two largest units", () => {
    expect(formatBytes(512)).toBe("512 bytes");
    expect(formatBytes(8192)).toBe("8.0 kB");
    expect(formatBytes(25 * 1024 * 1024)).toBe("25 MB");
    expect(formatBytes(3.5 * 1024 ** 3)).toBe("3.5 GB");
    expect(formatSeconds(null)).toBe("—");
    expect(formatSeconds(42.9)).toBe("42 s");
    expect(formatSeconds(125)).toBe("2 min 5 s");
    expect(formatSeconds(7_300)).toBe("2 h 1 min");
    expect(formatSeconds(200_000)).toBe("2 d 7 h");
  });
});
