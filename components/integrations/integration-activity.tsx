import { Badge } from "@/components/ui/badge";
import { EmptyState } from "@/components/ui/empty-state";
import { Table, TBody, TD, TH, THead, TR } from "@/components/ui/table";
import { formatStamp } from "@/lib/format";
import type { IntegrationDetail } from "@/server/integrations/integration-reads";
import { HealthChart } from "./health-chart";
import { HealthBadge } from "./integration-table";

const OUTCOME_TONE = { processed: "green", ignored: "neutral", duplicate: "amber", refused: "red" } as const;

/** The last checks: a chart, then the same in a table (time, status, latency, HTTP status, message, circuit). */
export function HealthHistory({
  history,
  timeZone,
}: {
  history: IntegrationDetail["history"];
  timeZone: string;
}) {
  if (history.length === 0)
    return (
      <EmptyState title="No checks yet" description="Checks run every few minutes while it is active." />
    );
  return (
    <div className="space-y-4">
      <HealthChart
        points={history.map((h) => ({
          id: h.id,
          at: formatStamp(h.checkedAt, timeZone),
          status: h.status,
          latencyMs: h.latencyMs,
        }))}
      />
      <Table aria-label="Health checks">
        <THead>
          <TR>
            <TH>Checked</TH>
            <TH>Status</TH>
            <TH>Latency</TH>
            <TH>HTTP</TH>
            <TH>Message</TH>
            <TH>Circuit</TH>
          </TR>
        </THead>
        <TBody>
          {history.map((h) => (
            <TR key={h.id}>
              <TD className="whitespace-nowrap text-xs">{formatStamp(h.checkedAt, timeZone)}</TD>
              <TD>
                <HealthBadge status={h.status} />
              </TD>
              <TD className="whitespace-nowrap text-xs">
                {h.latencyMs === null ? "—" : `${h.latencyMs} ms`}
              </TD>
              <TD className="text-xs">{h.httpStatus ?? "—"}</TD>
              <TD className="min-w-40 break-words text-xs">{h.message ?? ""}</TD>
              <TD className="text-xs">{h.circuit.replace("_", "-")}</TD>
            </TR>
          ))}
        </TBody>
      </Table>
    </div>
  );
}

/** The provider's requests to the inbound endpoint: each event, its signature's verdict and what came of it. */
export function InboundLog({ events, timeZone }: { events: IntegrationDetail["events"]; timeZone: string }) {
  if (events.length === 0)
    return <EmptyState title="No events received" description="Events the provider sends are listed here." />;
  return (
    <Table aria-label="Inbound events">
      <THead>
        <TR>
          <TH>Received</TH>
          <TH>Event type</TH>
          <TH>Event ID</TH>
          <TH>Signature</TH>
          <TH>Outcome</TH>
          <TH>Detail</TH>
        </TR>
      </THead>
      <TBody>
        {events.map((e) => (
          <TR key={e.id}>
            <TD className="whitespace-nowrap text-xs">{formatStamp(e.receivedAt, timeZone)}</TD>
            <TD className="font-mono text-xs">{e.eventType ?? "—"}</TD>
            <TD className="break-all font-mono text-xs">{e.eventId ?? "—"}</TD>
            <TD>
              <Badge tone={e.signatureValid ? "green" : "red"}>
                {e.signatureValid ? "valid" : "invalid"}
              </Badge>
            </TD>
            <TD>
              <Badge tone={OUTCOME_TONE[e.outcome as keyof typeof OUTCOME_TONE] ?? "neutral"}>
                {e.outcome}
              </Badge>
            </TD>
            <TD className="min-w-40 break-words text-xs">{e.detail ?? ""}</TD>
          </TR>
        ))}
      </TBody>
    </Table>
  );
}
