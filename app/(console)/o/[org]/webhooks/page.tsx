import { Badge } from "@/components/ui/badge";
import { PageHeader } from "@/components/ui/page-header";
import { Table, TBody, TD, TH, THead, TR } from "@/components/ui/table";
import { ActiveButton, ReplayButton, TestEventButton } from "@/components/webhooks/endpoint-buttons";
import { RotateSecret } from "@/components/webhooks/rotate-secret";
import { WebhookForm } from "@/components/webhooks/webhook-form";
import { withReads } from "@/db/context";
import { matrixEnvironments } from "@/db/repos/matrix";
import { webhooksPage } from "@/db/repos/webhooks";
import { formatStamp } from "@/lib/format";
import { can } from "@/lib/policy";
import { requireMember } from "@/server/session";

export const metadata = { title: "Webhooks" };

const CIRCUIT_TONE = { closed: "green", half_open: "amber", open: "red" } as const;
const STATUS_TONE = { delivered: "green", pending: "amber", failed: "red" } as const;

export default async function WebhooksPage(props: PageProps<"/o/[org]/webhooks">) {
  const { org } = await props.params;
  const member = await requireMember(org);
  const manage = can(member.role, "webhooks:manage");
  const [endpoints, envs] = await withReads(member, (r) =>
    Promise.all([webhooksPage(r), matrixEnvironments(r)]),
  );
  const tz = member.org.timeZone;
  const envName = new Map(envs.map((e) => [e.id, e.name]));
  return (
    <div className="space-y-8">
      <PageHeader
        title="Webhooks"
        description={`Endpoints that hear about changes (never a value), signed per Standard Webhooks, retried for about 17 hours and paused by a circuit breaker when they keep failing. Times in ${tz}.`}
      />
      {manage ? (
        <section aria-labelledby="new-webhook-heading" className="space-y-3">
          <h2 id="new-webhook-heading" className="text-lg font-semibold">
            New endpoint
          </h2>
          <WebhookForm org={org} environments={envs.map((e) => e.name)} />
        </section>
      ) : (
        <p className="text-sm text-gray-600">
          Only owners and admins see and manage webhook endpoints: a URL may carry a secret of its own.
        </p>
      )}
      {manage ? (
        <section aria-labelledby="webhooks-heading" className="space-y-6">
          <h2 id="webhooks-heading" className="text-lg font-semibold">
            Endpoints ({endpoints.length})
          </h2>
          {endpoints.length === 0 ? <p className="text-sm text-gray-600">None yet.</p> : null}
          {endpoints.map((e) => (
            <article
              key={e.id}
              aria-label={`Endpoint ${e.url}`}
              className="space-y-3 rounded-md border border-gray-200 p-4"
            >
              <div className="flex flex-wrap items-center gap-2">
                <span className="break-all font-mono text-sm">{e.url}</span>
                <Badge tone={e.isActive ? "green" : "neutral"}>{e.isActive ? "active" : "disabled"}</Badge>
                <Badge tone={CIRCUIT_TONE[e.circuitState as keyof typeof CIRCUIT_TONE] ?? "neutral"}>
                  circuit {e.circuitState.replace("_", "-")}
                </Badge>
              </div>
              <p className="text-xs text-gray-600">
                {e.description ? `${e.description} · ` : ""}
                {e.events.join(", ")} ·{" "}
                {e.environmentIds.length === 0
                  ? "all environments"
                  : e.environmentIds.map((id) => envName.get(id) ?? "?").join(", ")}
                {e.consecutiveFailures > 0 ? ` · ${e.consecutiveFailures} failure(s) in a row` : ""}
              </p>
              {manage ? (
                <div className="flex flex-wrap items-start gap-2">
                  <TestEventButton org={org} id={e.id} url={e.url} />
                  <ActiveButton org={org} id={e.id} url={e.url} active={e.isActive} />
                  <RotateSecret org={org} id={e.id} url={e.url} />
                </div>
              ) : null}
              {e.deliveries.length === 0 ? (
                <p className="text-sm text-gray-600">No deliveries yet.</p>
              ) : (
                <Table aria-label={`Deliveries to ${e.url}`}>
                  <THead>
                    <TR>
                      <TH>Event</TH>
                      <TH>Status</TH>
                      <TH>Attempts</TH>
                      <TH>Answer</TH>
                      <TH>When</TH>
                      {manage ? (
                        <TH>
                          <span className="sr-only">Replay</span>
                        </TH>
                      ) : null}
                    </TR>
                  </THead>
                  <TBody>
                    {e.deliveries.map((d) => (
                      <TR key={d.id}>
                        <TD className="font-mono text-xs">
                          {d.eventType}
                          {d.replayOf ? <span className="block text-gray-500">replay</span> : null}
                        </TD>
                        <TD>
                          <Badge tone={STATUS_TONE[d.status as keyof typeof STATUS_TONE] ?? "neutral"}>
                            {d.status}
                          </Badge>
                          {d.status === "pending" && d.attempts > 0 ? (
                            <div className="text-xs text-gray-600">
                              next {formatStamp(d.nextAttemptAt, tz)}
                            </div>
                          ) : null}
                        </TD>
                        <TD className="text-xs">{d.attempts}</TD>
                        <TD className="text-xs text-gray-600">
                          {d.lastStatusCode ?? (d.lastError ? "" : "—")}
                          {d.lastLatencyMs !== null ? ` · ${d.lastLatencyMs} ms` : ""}
                          {d.lastError && d.lastStatusCode === null ? d.lastError : ""}
                        </TD>
                        <TD className="text-xs text-gray-600">
                          {formatStamp(d.deliveredAt ?? d.createdAt, tz)}
                        </TD>
                        {manage ? (
                          <TD>
                            <ReplayButton
                              org={org}
                              deliveryId={d.id}
                              what={`${d.eventType} of ${formatStamp(d.createdAt, tz)}`}
                            />
                          </TD>
                        ) : null}
                      </TR>
                    ))}
                  </TBody>
                </Table>
              )}
            </article>
          ))}
        </section>
      ) : null}
    </div>
  );
}
