/**
 * What the operator console calls healthy (issue 17): thresholds on PostgreSQL's own figures, and the reading
 * of a session as long-running or idle in a transaction. Pure rules; the figures come from db/repos/ops-health.
 */
export const OPS_THRESHOLDS = {
  /** Connections over this share of max_connections: a warning. */
  connectionsRatio: 0.8,
  /** A buffer cache hit ratio under this: a warning (seed 001's target). */
  cacheHitRatio: 0.99,
  /** A statement running longer than this is long-running. */
  longRunningSeconds: 60,
  /** A session idle in its transaction longer than this holds locks and the xmin horizon for nothing. */
  idleInTransactionSeconds: 30,
  /** Transaction ids consumed since the oldest unfrozen one, as a share of the 2^31 wraparound limit. */
  xidAgeRatio: 0.5,
  /** Tables with more live rows than this count as large for sequential scans. */
  largeTableRows: 10_000,
} as const;

/** Transaction ids PostgreSQL can hand out before it must stop to avoid wraparound (2^31 − 1, less its margin). */
export const XID_LIMIT = 2 ** 31 - 1;

export type SessionState = "long_running" | "idle_in_transaction" | null;

export function sessionState(s: { state: string | null; stateSeconds: number | null }): SessionState {
  const seconds = s.stateSeconds ?? 0;
  if (s.state === "active" && seconds >= OPS_THRESHOLDS.longRunningSeconds) return "long_running";
  if (s.state?.startsWith("idle in transaction") && seconds >= OPS_THRESHOLDS.idleInTransactionSeconds)
    return "idle_in_transaction";
  return null;
}

export type HealthFinding = { level: "warning" | "critical"; text: string };

/** The findings of a health reading, worst first; none means healthy. */
export function healthFindings(h: {
  connections: number;
  maxConnections: number;
  cacheHitRatio: number | null;
  xidAge: number;
  stuckSessions: number;
}): HealthFinding[] {
  const found: HealthFinding[] = [];
  const used = h.connections / h.maxConnections;
  if (used >= 0.95) found.push({ level: "critical", text: connectionsText(h) });
  else if (used > OPS_THRESHOLDS.connectionsRatio) found.push({ level: "warning", text: connectionsText(h) });
  if (h.xidAge / XID_LIMIT > OPS_THRESHOLDS.xidAgeRatio)
    found.push({
      level: "critical",
      text: `Transaction ids are ${Math.round((100 * h.xidAge) / XID_LIMIT)} % of the way to wraparound: vacuum must freeze.`,
    });
  if (h.cacheHitRatio !== null && h.cacheHitRatio < OPS_THRESHOLDS.cacheHitRatio)
    found.push({
      level: "warning",
      text: `Cache hit ratio ${(100 * h.cacheHitRatio).toFixed(2)} % (under ${100 * OPS_THRESHOLDS.cacheHitRatio} %).`,
    });
  if (h.stuckSessions > 0)
    found.push({
      level: "warning",
      text: `${h.stuckSessions} session(s) long-running or idle in a transaction.`,
    });
  return found.sort((a, b) => (a.level === b.level ? 0 : a.level === "critical" ? -1 : 1));
}

const connectionsText = (h: { connections: number; maxConnections: number }) =>
  `${h.connections} of ${h.maxConnections} connections in use (${Math.round((100 * h.connections) / h.maxConnections)} %).`;

/** A rough estimate of the space dead rows take in a table (PostgreSQL reuses it after vacuum). */
export const estimatedBloatBytes = (t: { tableBytes: number; liveTuples: number; deadTuples: number }) =>
  t.liveTuples + t.deadTuples === 0
    ? 0
    : Math.round((t.tableBytes * t.deadTuples) / (t.liveTuples + t.deadTuples));
