import { Badge } from "@/components/ui/badge";
import { Card } from "@/components/ui/card";
import { Table, TBody, TD, TH, THead, TR } from "@/components/ui/table";
import type { ChangeRequestRow } from "@/db/repos/change-requests";
import { duration, formatStamp } from "@/lib/format";
import { DecisionForms, WithdrawForm } from "./decision-forms";
import { RevealProposed } from "./reveal-proposed";

const RISK_TONE = { LOW: "neutral", MEDIUM: "amber", HIGH: "red", CRITICAL: "red" } as const;
const STATUS_TONE = {
  pending: "indigo",
  approved: "green",
  rejected: "red",
  cancelled: "neutral",
  stale: "amber",
  expired: "neutral",
} as const;
const ACTION = {
  "variable:update": "Variable change",
  "variable:delete": "Variable deletion",
  "environment:update": "Environment settings",
  "protection:remove": "Wedding hours",
  "policy:grant": "Access grant",
  "member:role": "Role change",
  "target:update": "Sync target settings",
  "target:create": "New sync target",
  "variable:restore": "Variable restore",
  "settings:time_zone": "Time zone",
} as const;
const SOURCE = {
  edit: "Change",
  delete: "Deletion",
  restore: "Restore",
  promote: "Promotion",
  import: ".env import",
  drift: "Drift resolution",
} as const;

type Props = {
  org: string;
  request: ChangeRequestRow;
  timeZone: string;
  now: Date;
  /** Who is looking: reviewers decide others' requests, requesters withdraw their own. */
  viewer: { userId: string; canApprove: boolean };
};

const short = (hash: string | null) => (hash ? hash.slice(0, 8) : "—");

/** What became of a decided request, in words the requester reads. */
function outcome(r: ChangeRequestRow, timeZone: string) {
  const when = r.decidedAt ? formatStamp(r.decidedAt, timeZone) : "";
  switch (r.status) {
    case "stale":
      return `Not applied: a value it was based on changed since it was asked for (found at ${when}). Ask again from the current value.`;
    case "expired":
      return `Not applied: it expired before anyone decided (${when}).`;
    case "cancelled":
      return `Withdrawn at ${when}.`;
    default:
      return `${r.status} by ${r.decider ?? "?"} at ${when}${r.decisionNote ? `: “${r.decisionNote}”` : ""}`;
  }
}

/**
 * One change request: what changes (hashes, versions; values only through an audited reveal), its risk and
 * why, who asked and how long ago, and what the viewer may do with it.
 */
export function RequestCard({ org, request: r, timeZone, now, viewer }: Props) {
  const values = r.action === "values";
  const label = values
    ? `${SOURCE[r.source as keyof typeof SOURCE] ?? r.source} in ${r.environment}`
    : (ACTION[r.action as keyof typeof ACTION] ?? r.action);
  const mine = r.requestedBy === viewer.userId;
  const pending = r.status === "pending";
  return (
    <Card className="space-y-3 p-4">
      <article
        id={`request-${r.id}`}
        aria-label={`Change request: ${label} by ${r.requester}`}
        className="space-y-3"
      >
        <header className="flex flex-wrap items-center gap-2">
          <h3 className="font-semibold">{label}</h3>
          <Badge tone={RISK_TONE[r.riskLevel]}>{r.riskLevel}</Badge>
          <Badge tone={STATUS_TONE[r.status]}>{r.status}</Badge>
          <span className="text-sm text-gray-600">
            by {r.requester} · {duration(r.createdAt, now)} ago
            {pending ? ` · expires in ${duration(now, r.expiresAt)}` : ""}
          </span>
        </header>
        {r.summary ? <p className="text-sm font-medium text-gray-900">{r.summary}</p> : null}
        <blockquote className="border-l-4 border-gray-200 pl-3 text-sm text-gray-800">{r.reason}</blockquote>
        {r.riskReasons.length > 0 ? (
          <p className="text-xs text-gray-600">Risk: {r.riskReasons.join(" · ")}</p>
        ) : null}
        {values ? (
          <Table aria-label={`Changes in ${label}`}>
            <THead>
              <TR>
                <TH>Key</TH>
                <TH>Change</TH>
                <TH>Hash before → after</TH>
                <TH>Based on</TH>
                <TH>Now</TH>
                <TH>
                  <span className="sr-only">Proposed value</span>
                </TH>
              </TR>
            </THead>
            <TBody>
              {r.items.map((i) => {
                const moved = i.currentVersion !== i.baseVersion;
                return (
                  <TR key={i.variableId}>
                    <TD className="font-mono text-xs">{i.name}</TD>
                    <TD>{i.operation === "delete" ? "delete" : i.baseVersion === 0 ? "set (new)" : "set"}</TD>
                    <TD className="font-mono text-xs">
                      {short(i.baseHash ?? (moved ? null : i.currentHash))} →{" "}
                      {i.operation === "delete" ? "deleted" : short(i.newHash)}
                    </TD>
                    <TD>{i.baseVersion ? `v${i.baseVersion}` : "not set"}</TD>
                    <TD>
                      {i.currentVersion ? `v${i.currentVersion}` : "not set"}
                      {pending && moved ? (
                        <span className="ml-1">
                          <Badge tone="amber">moved</Badge>
                        </span>
                      ) : null}
                    </TD>
                    <TD>
                      {pending && i.operation === "set" && (viewer.canApprove || mine) && i.readable ? (
                        <RevealProposed org={org} id={r.id} variableId={i.variableId} name={i.name} />
                      ) : null}
                    </TD>
                  </TR>
                );
              })}
            </TBody>
          </Table>
        ) : null}
        {r.itemCount > r.items.length ? (
          <p className="text-xs text-gray-600">
            …and {r.itemCount - r.items.length} more key(s) (the audit trail lists them all).
          </p>
        ) : null}
        {r.decidedAt ? <p className="text-sm text-gray-700">{outcome(r, timeZone)}</p> : null}
        {pending && viewer.canApprove && !mine ? <DecisionForms org={org} id={r.id} label={label} /> : null}
        {pending && mine ? (
          <div className="flex flex-wrap items-center gap-3">
            <span className="text-xs text-gray-600">Your request: another reviewer decides it.</span>
            <WithdrawForm org={org} id={r.id} label={label} />
          </div>
        ) : null}
      </article>
    </Card>
  );
}
