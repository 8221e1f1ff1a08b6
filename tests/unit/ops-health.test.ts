import { describe, expect, it } from "vitest";
import {
  estimatedBloatBytes,
  evaluate,
  type Reading,
  sessionState,
  thresholds,
  XID_LIMIT,
} from "@/lib/ops/health";
import { formatBytes, formatSeconds } from "@/lib/ops/units";
import { thresholdInput } from "@/lib/validation/ops";

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
    const health = {
      connections: 10,
      maxConnections: 100,
      cacheHitRatio: 0.999,
      cacheBlocks: 1e6,
      xidAge: 1e6,
    };
    const healthy: Reading = { health, sessions: [], queues: [] };
    expect(evaluate(healthy)).toEqual([]);
    const at = (h: Partial<Reading["health"]>) => evaluate({ ...healthy, health: { ...health, ...h } });
    expect(at({ connections: 81 }).map((f) => f.severity)).toEqual(["warning"]);
    expect(at({ connections: 80 })).toEqual([]);
    const bad = at({ connections: 96, cacheHitRatio: 0.95, xidAge: 0.6 * XID_LIMIT });
    expect(bad.map((f) => f.rule)).toEqual(["connections", "xid_age", "cache_hit"]);
    expect(bad[0].message).toBe("96 of 100 connections in use (96 %).");
    expect(bad[2].message).toBe("Cache hit ratio 95.00 % (under 99.00 %).");
    // A hit ratio over too few reads says nothing yet.
    expect(at({ cacheHitRatio: 0.5, cacheBlocks: 9_999 })).toEqual([]);
    expect(at({ cacheHitRatio: null })).toEqual([]);
  });

  it("names each stuck session and each troubled queue as its own subject, with an operator's thresholds", () => {
    const reading: Reading = {
      health: { connections: 1, maxConnections: 100, cacheHitRatio: null, cacheBlocks: 0, xidAge: 1 },
      sessions: [
        { pid: 41, state: "idle in transaction", stateSeconds: 31, role: "app" },
        { pid: 42, state: "active", stateSeconds: 5, role: "app" },
      ],
      queues: [
        { queue: "purge", failed: 2, oldestWaitingSeconds: null },
        { queue: "drift-scan", failed: 0, oldestWaitingSeconds: 601 },
      ],
    };
    expect(evaluate(reading).map((f) => `${f.rule}:${f.subject}`)).toEqual([
      "jobs_overdue:drift-scan",
      "idle_in_transaction:41",
      "jobs_failed:purge",
    ]);
    const strict = thresholds([
      { rule: "long_running", threshold: 1 },
      { rule: "jobs_failed", threshold: 5 },
      { rule: "no_such_rule", threshold: 0 },
    ]);
    expect(evaluate(reading, strict).map((f) => `${f.rule}:${f.subject}`)).toEqual([
      "jobs_overdue:drift-scan",
      "idle_in_transaction:41",
      "long_running:42",
    ]);
  });

  it("raises the database's growth from one daily snapshot to the next above a fifth", () => {
    const health = { connections: 1, maxConnections: 100, cacheHitRatio: null, cacheBlocks: 0, xidAge: 1 };
    const at = (growth: Reading["growth"]) => evaluate({ health, sessions: [], queues: [], growth });
    expect(at(null)).toEqual([]);
    expect(at({ before: 100 * 1024 ** 2, after: 120 * 1024 ** 2 })).toEqual([]);
    expect(at({ before: 100 * 1024 ** 2, after: 121 * 1024 ** 2 })).toEqual([
      {
        rule: "disk_growth",
        subject: "",
        severity: "warning",
        message: "The database grew 21 % in a day (100 MB to 121 MB).",
      },
    ]);
    expect(at({ before: 0, after: 1 })).toEqual([]);
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

describe("the backup rules", () => {
  const health = { connections: 1, maxConnections: 100, cacheHitRatio: null, cacheBlocks: 0, xidAge: 1 };
  const at = (backups: Reading["backups"]) =>
    evaluate({ health, sessions: [], queues: [], backups }).map((f) => `${f.rule}: ${f.message}`);
  const day = 86_400;

  it("say nothing of a console younger than a day, or with a backup under 26 hours old", () => {
    expect(at({ lastOkSeconds: null, lastFailed: false, lastDetail: null, runningSeconds: day })).toEqual([]);
    expect(
      at({ lastOkSeconds: 25 * 3600, lastFailed: false, lastDetail: null, runningSeconds: 9 * day }),
    ).toEqual([]);
  });

  it("raise a console that has run longer without a backup, a stale backup, and a failed one", () => {
    expect(
      at({ lastOkSeconds: null, lastFailed: false, lastDetail: null, runningSeconds: 27 * 3600 }),
    ).toEqual([
      "backup_overdue: No backup has been recorded: run npm run backup (docs/operations.md, “Backups”).",
    ]);
    expect(
      at({ lastOkSeconds: 30 * 3600, lastFailed: true, lastDetail: "disk full", runningSeconds: 9 * day }),
    ).toEqual([
      "backup_failed: The last backup failed: disk full.",
      "backup_overdue: The last successful backup is 30 hours old.",
    ]);
  });
});

describe("an operator's threshold", () => {
  it("is a number from 0, or empty for the default, for a rule that exists", () => {
    expect(thresholdInput.parse({ rule: "connections", threshold: "0.9" })).toEqual({
      rule: "connections",
      threshold: 0.9,
    });
    expect(thresholdInput.parse({ rule: "idle_in_transaction", threshold: "" })).toEqual({
      rule: "idle_in_transaction",
      threshold: null,
    });
    for (const bad of [
      { rule: "no_such_rule", threshold: "1" },
      { rule: "connections", threshold: "-1" },
      { rule: "connections", threshold: "lots" },
      { rule: "connections", threshold: "Infinity" },
      { rule: "connections", threshold: "1e12" },
    ])
      expect(thresholdInput.safeParse(bad).success, JSON.stringify(bad)).toBe(false);
  });
});

describe("an organization's rules", () => {
  it("name the organization with late scans or unhealthy integrations, and no other", () => {
    const health = { connections: 1, maxConnections: 100, cacheHitRatio: null, cacheBlocks: 0, xidAge: 1 };
    const found = evaluate({
      health,
      sessions: [],
      queues: [],
      organizations: [
        { id: "o1", name: "Bloom & Co", overdueScans: 2, unhealthyIntegrations: 0 },
        { id: "o2", name: "Veil Ltd", overdueScans: 0, unhealthyIntegrations: 1 },
        { id: "o3", name: "Fine Ltd", overdueScans: 0, unhealthyIntegrations: 0 },
      ],
    });
    expect(found.map((f) => `${f.rule}:${f.subject}: ${f.message}`)).toEqual([
      "scans_overdue:o1: Bloom & Co: 2 deployment target(s) not scanned on schedule: drift there goes unseen.",
      "integration_unhealthy:o2: Veil Ltd: 1 integration(s) unhealthy at their last check.",
    ]);
  });
});
