import { AcknowledgeForm } from "@/components/ops/acknowledge-form";
import { SessionSignalForm } from "@/components/ops/session-signal-form";
import { ThresholdForm } from "@/components/ops/threshold-form";
import { Badge } from "@/components/ui/badge";
import { Card } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { Table, TBody, TD, TH, THead, TR } from "@/components/ui/table";
import { formatDateTime } from "@/lib/format";
import { formatBytes, formatSeconds } from "@/lib/ops/units";
import { alertsOverview } from "@/server/ops/alerts";
import { databaseOverview } from "@/server/ops/database";
import { currentOperator } from "@/server/session";

export const metadata = { title: "Database" };

/** The database's health, its stuck sessions (with a guarded cancel), replicas and job queues. */
export default async function OpsDatabasePage() {
  const user = await currentOperator();
  if (!user) return null;
  const [o, alerts] = await Promise.all([
    databaseOverview({ userId: user.id }),
    alertsOverview({ userId: user.id }),
  ]);
  const when = (d: Date) => formatDateTime(d, "UTC", { zone: true });
  const h = o.health;
  const figures = [
    ["PostgreSQL", h.version],
    ["Database size", formatBytes(h.databaseBytes)],
    ["Connections", `${h.connections} of ${h.maxConnections}`],
    ["Cache hit ratio", h.cacheHitRatio === null ? "—" : `${(100 * h.cacheHitRatio).toFixed(2)} %`],
    ["Oldest transaction", formatSeconds(h.oldestTransactionSeconds)],
    ["Transaction id wraparound", `${(100 * h.xidRatio).toFixed(2)} % used`],
    ["Role", h.inRecovery ? "replica (read-only)" : "primary"],
    [
      "Last successful backup",
      o.backups.lastOkSeconds === null ? "none recorded" : `${formatSeconds(o.backups.lastOkSeconds)} ago`,
    ],
    [
      "Last verified backup",
      o.backups.lastVerifiedSeconds === null
        ? "no restore drill recorded"
        : `taken ${formatSeconds(o.backups.lastVerifiedSeconds)} ago`,
    ],
  ] as const;
  return (
    <div className="max-w-6xl space-y-8">
      <PageHeader
        title="Database"
        description="PostgreSQL's own figures for the database behind every organization's keys, read on the monitoring role."
      />
      {o.monitoring.limited ? (
        <p
          role="status"
          className="rounded-md border border-amber-300 bg-amber-50 p-3 text-sm text-amber-900"
        >
          Limited view: the console reads as {o.monitoring.dedicated ? "a role" : "the app role"} without
          pg_monitor, so other roles' sessions and statements are hidden. Set DATABASE_MONITOR_URL to a role
          with pg_monitor (docs/operations.md, “The operator console”).
        </p>
      ) : null}
      <section aria-labelledby="alerts" className="space-y-3">
        <h2 id="alerts" className="text-lg font-semibold">
          Alerts {alerts.open.length > 0 ? <Badge tone="red">{alerts.open.length} open</Badge> : null}
        </h2>
        {alerts.open.length === 0 ? (
          <p className="text-sm text-gray-600">No alert is open. The rules are checked every minute.</p>
        ) : (
          <ul className="space-y-2" aria-label="Open alerts">
            {alerts.open.map((a) => (
              <li key={a.id} aria-label={`${a.rule} alert`}>
                <Card>
                  <div className="flex flex-wrap items-start justify-between gap-3 p-3">
                    <div className="min-w-0 space-y-1 text-sm">
                      <p>
                        <Badge tone={a.severity === "critical" ? "red" : "amber"}>{a.severity}</Badge>{" "}
                        <span className="font-medium">{a.rule.replaceAll("_", " ")}</span>
                      </p>
                      <p className="break-words">{a.message}</p>
                      <p className="text-xs text-gray-500">
                        Raised {when(a.raisedAt)}, last seen {when(a.lastSeenAt)}
                        {a.acknowledgedAt
                          ? ` · acknowledged by ${a.acknowledgedBy} ${when(a.acknowledgedAt)}`
                          : ""}
                      </p>
                    </div>
                    {a.acknowledgedAt ? null : <AcknowledgeForm id={a.id} label={`the ${a.rule} alert`} />}
                  </div>
                </Card>
              </li>
            ))}
          </ul>
        )}
        {alerts.history.length > 0 ? (
          <details className="text-sm">
            <summary className="cursor-pointer text-indigo-700">
              Cleared alerts ({alerts.history.length})
            </summary>
            <ul className="mt-2 space-y-1">
              {alerts.history.map((a) => (
                <li key={a.id} className="break-words">
                  {a.rule.replaceAll("_", " ")}: {a.message} — {when(a.raisedAt)} to{" "}
                  {a.clearedAt ? when(a.clearedAt) : ""}
                  {a.acknowledgedBy ? `, acknowledged by ${a.acknowledgedBy}` : ""}
                </li>
              ))}
            </ul>
          </details>
        ) : null}
        <details className="text-sm">
          <summary className="cursor-pointer text-indigo-700">Rules</summary>
          <ul className="mt-2 space-y-3">
            {alerts.rules.map((r) => (
              <li key={r.rule}>
                <ThresholdForm
                  rule={r.rule}
                  text={`${r.text}${r.changed ? " (set by an operator)" : ""}`}
                  threshold={r.threshold}
                />
              </li>
            ))}
          </ul>
        </details>
      </section>
      <section aria-labelledby="health" className="space-y-3">
        <h2 id="health" className="text-lg font-semibold">
          Health{" "}
          {o.findings.length === 0 ? (
            <Badge tone="green">healthy</Badge>
          ) : (
            <Badge tone={o.findings[0].severity === "critical" ? "red" : "amber"}>
              {o.findings[0].severity}
            </Badge>
          )}
        </h2>
        {o.findings.length > 0 ? (
          <ul className="list-disc space-y-1 pl-5 text-sm">
            {o.findings.map((f) => (
              <li key={`${f.rule}:${f.subject}`}>{f.message}</li>
            ))}
          </ul>
        ) : null}
        <Card>
          <dl className="grid gap-4 p-4 sm:grid-cols-2 lg:grid-cols-4">
            {figures.map(([label, value]) => (
              <div key={label}>
                <dt className="text-xs uppercase tracking-wide text-gray-500">{label}</dt>
                <dd className="break-words text-sm font-medium">{value}</dd>
              </div>
            ))}
          </dl>
        </Card>
      </section>
      <section aria-labelledby="sessions" className="space-y-3">
        <h2 id="sessions" className="text-lg font-semibold">
          Sessions
        </h2>
        <Table aria-label="Sessions">
          <THead>
            <TR>
              <TH>Process</TH>
              <TH>Role and application</TH>
              <TH>State</TH>
              <TH>Transaction</TH>
              <TH>Statement</TH>
              <TH>Action</TH>
            </TR>
          </THead>
          <TBody>
            {o.sessions.map((s) => (
              <TR key={s.pid}>
                <TD>{s.pid}</TD>
                <TD className="break-all">
                  {s.role ?? "—"}
                  <span className="block text-xs text-gray-500">{s.application || "—"}</span>
                </TD>
                <TD>
                  {s.state ?? "hidden"}{" "}
                  {s.flag ? <Badge tone="amber">{s.flag.replaceAll("_", " ")}</Badge> : null}
                  <span className="block text-xs text-gray-500">for {formatSeconds(s.stateSeconds)}</span>
                </TD>
                <TD>{formatSeconds(s.transactionSeconds)}</TD>
                <TD className="max-w-md">
                  <code className="line-clamp-3 break-all text-xs">{s.query ?? "hidden"}</code>
                </TD>
                <TD>{s.flag ? <SessionSignalForm pid={s.pid} /> : null}</TD>
              </TR>
            ))}
          </TBody>
        </Table>
      </section>
      <section aria-labelledby="queues" className="space-y-3">
        <h2 id="queues" className="text-lg font-semibold">
          Background jobs
        </h2>
        <Table aria-label="Job queues">
          <THead>
            <TR>
              <TH>Queue</TH>
              <TH>Waiting</TH>
              <TH>Running</TH>
              <TH>Failed (24 h)</TH>
              <TH>Oldest waiting</TH>
            </TR>
          </THead>
          <TBody>
            {o.queues.map((q) => (
              <TR key={q.queue}>
                <TD>{q.queue}</TD>
                <TD>{q.waiting}</TD>
                <TD>{q.active}</TD>
                <TD>{q.failed > 0 ? <Badge tone="red">{q.failed}</Badge> : 0}</TD>
                <TD>{formatSeconds(q.oldestWaitingSeconds)}</TD>
              </TR>
            ))}
          </TBody>
        </Table>
      </section>
      <section aria-labelledby="replicas" className="space-y-3">
        <h2 id="replicas" className="text-lg font-semibold">
          Replicas
        </h2>
        {o.replicas.length === 0 ? (
          <p className="text-sm text-gray-600">No streaming replica is connected to this server.</p>
        ) : (
          <ul className="space-y-1 text-sm">
            {o.replicas.map((r) => (
              <li key={r.client ?? "local"}>
                {r.client ?? "local socket"}: {r.state}, replay lag {formatSeconds(r.replayLagSeconds)}
              </li>
            ))}
          </ul>
        )}
      </section>
    </div>
  );
}
