/**
 * What the operator console calls unhealthy (issue 17): the alert rules, each a threshold over PostgreSQL's own
 * figures or the job queues, and what they find in one reading. The page's findings and the alerts the job
 * raises are the same evaluation. Pure: the figures come from db/repos/ops-health.ts and ops-jobs.ts, an
 * operator's threshold from ops_alert_thresholds (migration 0045).
 */
import { formatBytes } from "./units";

export const ALERT_RULES = {
  connections: { threshold: 0.8, text: "Connections in use, as a share of max_connections, above" },
  cache_hit: { threshold: 0.99, text: "Buffer cache hit ratio below" },
  xid_age: { threshold: 0.5, text: "Transaction ids used towards wraparound, as a share, above" },
  long_running: { threshold: 60, text: "A statement running longer than (seconds)" },
  idle_in_transaction: { threshold: 30, text: "A transaction left idle longer than (seconds)" },
  jobs_failed: { threshold: 0, text: "Background jobs failed in the last 24 hours, more than" },
  jobs_overdue: { threshold: 600, text: "A background job waiting past its time longer than (seconds)" },
  scans_overdue: {
    threshold: 2,
    text: "A target's scheduled scan late by more than this many intervals (and 10 minutes)",
  },
  integration_unhealthy: { threshold: 0, text: "Unhealthy integrations in an organization, more than" },
  backup_failed: { threshold: 0, text: "Backups failed since the last successful one, more than" },
  backup_overdue: { threshold: 26, text: "Hours since the last successful backup, above" },
  disk_growth: {
    threshold: 0.2,
    text: "The database's growth from one day's snapshot to the next, as a share, above",
  },
} as const;
export type AlertRule = keyof typeof ALERT_RULES;
export const ALERT_RULE_NAMES = Object.keys(ALERT_RULES) as AlertRule[];
export type Thresholds = Record<AlertRule, number>;

/** The defaults, with an operator's overrides (unknown rule names are ignored). */
export function thresholds(overrides: { rule: string; threshold: number }[] = []): Thresholds {
  const t = Object.fromEntries(ALERT_RULE_NAMES.map((r) => [r, ALERT_RULES[r].threshold])) as Thresholds;
  for (const o of overrides) if (o.rule in t) t[o.rule as AlertRule] = o.threshold;
  return t;
}

/** Transaction ids PostgreSQL can hand out before it must stop to avoid wraparound (2^31 − 1). */
export const XID_LIMIT = 2 ** 31 - 1;
/** Under this many buffer reads the hit ratio says nothing yet (a fresh or idle database). */
export const CACHE_MIN_BLOCKS = 10_000;
/** Tables with more live rows than this count as large for sequential scans. */
export const LARGE_TABLE_ROWS = 10_000;

export type SessionState = "long_running" | "idle_in_transaction" | null;

export function sessionState(
  s: { state: string | null; stateSeconds: number | null },
  t: Pick<Thresholds, "long_running" | "idle_in_transaction"> = thresholds(),
): SessionState {
  const seconds = s.stateSeconds ?? 0;
  if (s.state === "active" && seconds >= t.long_running) return "long_running";
  if (s.state?.startsWith("idle in transaction") && seconds >= t.idle_in_transaction)
    return "idle_in_transaction";
  return null;
}

export type Reading = {
  health: {
    connections: number;
    maxConnections: number;
    cacheHitRatio: number | null;
    cacheBlocks: number;
    xidAge: number;
  };
  sessions: { pid: number; state: string | null; stateSeconds: number | null; role: string | null }[];
  queues: { queue: string; failed: number; oldestWaitingSeconds: number | null }[];
  /** The database's size at the last two daily snapshots (ops_table_snapshots), when there are two. */
  growth?: { before: number; after: number } | null;
  /** Backups as `npm run backup` recorded them; how long the console has run (daily snapshots). */
  /** Per organization (the job's contexts): overdue scans (by the scans_overdue threshold) and unhealthy integrations. */
  organizations?: { id: string; name: string; overdueScans: number; unhealthyIntegrations: number }[];
  backups?: {
    lastOkSeconds: number | null;
    lastFailed: boolean;
    lastDetail: string | null;
    runningSeconds: number | null;
  };
};

export type Finding = { rule: AlertRule; subject: string; severity: "warning" | "critical"; message: string };

const percent = (x: number) => `${Math.round(100 * x)} %`;

/** What the rules find in one reading, worst first; none means healthy. */
export function evaluate(r: Reading, t: Thresholds = thresholds()): Finding[] {
  const found: Finding[] = [];
  const h = r.health;
  const used = h.connections / h.maxConnections;
  if (used > t.connections)
    found.push({
      rule: "connections",
      subject: "",
      severity: used >= 0.95 ? "critical" : "warning",
      message: `${h.connections} of ${h.maxConnections} connections in use (${percent(used)}).`,
    });
  if (h.cacheHitRatio !== null && h.cacheBlocks >= CACHE_MIN_BLOCKS && h.cacheHitRatio < t.cache_hit)
    found.push({
      rule: "cache_hit",
      subject: "",
      severity: "warning",
      message: `Cache hit ratio ${(100 * h.cacheHitRatio).toFixed(2)} % (under ${(100 * t.cache_hit).toFixed(2)} %).`,
    });
  if (h.xidAge / XID_LIMIT > t.xid_age)
    found.push({
      rule: "xid_age",
      subject: "",
      severity: "critical",
      message: `Transaction ids are ${percent(h.xidAge / XID_LIMIT)} of the way to wraparound: vacuum must freeze.`,
    });
  for (const s of r.sessions) {
    const state = sessionState(s, t);
    if (state)
      found.push({
        rule: state,
        subject: String(s.pid),
        severity: "warning",
        message: `Session ${s.pid} (${s.role ?? "unknown role"}) ${state === "long_running" ? "has run one statement" : "has sat idle in its transaction"} for ${Math.floor(s.stateSeconds ?? 0)} s.`,
      });
  }
  for (const q of r.queues) {
    if (q.failed > t.jobs_failed)
      found.push({
        rule: "jobs_failed",
        subject: q.queue,
        severity: "warning",
        message: `${q.failed} ${q.queue} job(s) failed in the last 24 hours.`,
      });
    if (q.oldestWaitingSeconds !== null && q.oldestWaitingSeconds > t.jobs_overdue)
      found.push({
        rule: "jobs_overdue",
        subject: q.queue,
        severity: "critical",
        message: `A ${q.queue} job has waited ${Math.floor(q.oldestWaitingSeconds)} s past its time: are the workers running?`,
      });
  }
  for (const o of r.organizations ?? []) {
    if (o.overdueScans > 0)
      found.push({
        rule: "scans_overdue",
        subject: o.id,
        severity: "warning",
        message: `${o.name}: ${o.overdueScans} deployment target(s) not scanned on schedule: drift there goes unseen.`,
      });
    if (o.unhealthyIntegrations > t.integration_unhealthy)
      found.push({
        rule: "integration_unhealthy",
        subject: o.id,
        severity: "warning",
        message: `${o.name}: ${o.unhealthyIntegrations} integration(s) unhealthy at their last check.`,
      });
  }
  const b = r.backups;
  if (b?.lastFailed && t.backup_failed < 1)
    found.push({
      rule: "backup_failed",
      subject: "",
      severity: "critical",
      message: `The last backup failed${b.lastDetail ? `: ${b.lastDetail}` : ""}.`,
    });
  const hours = t.backup_overdue * 3600;
  if (b && (b.lastOkSeconds === null ? (b.runningSeconds ?? 0) > hours : b.lastOkSeconds > hours))
    found.push({
      rule: "backup_overdue",
      subject: "",
      severity: "warning",
      message:
        b.lastOkSeconds === null
          ? "No backup has been recorded: run npm run backup (docs/operations.md, “Backups”)."
          : `The last successful backup is ${Math.floor(b.lastOkSeconds / 3600)} hours old.`,
    });
  const g = r.growth;
  if (g && g.before > 0 && (g.after - g.before) / g.before > t.disk_growth)
    found.push({
      rule: "disk_growth",
      subject: "",
      severity: "warning",
      message: `The database grew ${percent((g.after - g.before) / g.before)} in a day (${formatBytes(g.before)} to ${formatBytes(g.after)}).`,
    });
  return found.sort((a, b) => (a.severity === b.severity ? 0 : a.severity === "critical" ? -1 : 1));
}

/** A rough estimate of the space dead rows take in a table (PostgreSQL reuses it after vacuum). */
export const estimatedBloatBytes = (t: { tableBytes: number; liveTuples: number; deadTuples: number }) =>
  t.liveTuples + t.deadTuples === 0
    ? 0
    : Math.round((t.tableBytes * t.deadTuples) / (t.liveTuples + t.deadTuples));
