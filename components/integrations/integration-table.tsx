import Link from "next/link";
import { Badge } from "@/components/ui/badge";
import { Table, TBody, TD, TH, THead, TR } from "@/components/ui/table";
import { formatStamp } from "@/lib/format";
import type { IntegrationView } from "@/server/integrations/integration-reads";
import { CheckNowButton, RestoreIntegrationButton } from "./integration-buttons";

export const HEALTH_TONE = {
  healthy: "green",
  degraded: "amber",
  unhealthy: "red",
  unknown: "neutral",
} as const;

/** A health status in words (never colour alone). */
export function HealthBadge({ status }: { status: string }) {
  return <Badge tone={HEALTH_TONE[status as keyof typeof HEALTH_TONE] ?? "neutral"}>{status}</Badge>;
}

/** "circuit open after 3 failures": shown only when the breaker is not closed. */
export function circuitText(circuit: string, failures: number) {
  if (circuit === "closed") return null;
  if (circuit === "half_open") return "circuit half-open: one trial check";
  return `circuit open after ${failures} failure${failures === 1 ? "" : "s"}: checks held back`;
}

/** A config's health: badge, when it was last checked, latency, the provider's message and the circuit. */
export function HealthSummary({ i, timeZone }: { i: IntegrationView; timeZone: string }) {
  const circuit = circuitText(i.circuit, i.consecutiveFailures);
  return (
    <div className="space-y-0.5">
      <HealthBadge status={i.health} />
      <div className="text-xs text-gray-600">
        {i.lastCheckAt ? `checked ${formatStamp(i.lastCheckAt, timeZone)}` : "never checked"}
        {i.latencyMs !== null && i.lastCheckAt ? ` · ${i.latencyMs} ms` : ""}
      </div>
      {i.health !== "healthy" && i.healthMessage ? (
        <div className="max-w-xs break-words text-xs text-gray-800">{i.healthMessage}</div>
      ) : null}
      {circuit ? <div className="text-xs font-medium text-red-800">{circuit}</div> : null}
    </div>
  );
}

/**
 * The live configs: platform and kind, environment, primary and active, and their health. Those who manage
 * integrations get a check here; everyone opens each one for its health, grant and events.
 */
export function IntegrationTable({
  org,
  items,
  manage,
  timeZone,
}: {
  org: string;
  items: IntegrationView[];
  manage: boolean;
  timeZone: string;
}) {
  return (
    <Table aria-label="Integrations">
      <THead>
        <TR>
          <TH>Name</TH>
          <TH>Environment</TH>
          <TH>State</TH>
          <TH>Health</TH>
          {manage ? (
            <TH>
              <span className="sr-only">Check</span>
            </TH>
          ) : null}
        </TR>
      </THead>
      <TBody>
        {items.map((i) => (
          <TR key={i.id}>
            <TD>
              <Link href={`/o/${org}/integrations/${i.id}`} className="font-medium text-indigo-700 underline">
                {i.name}
              </Link>
              <div className="text-xs text-gray-600">
                {i.platformLabel} · {i.configTypeLabel}
              </div>
            </TD>
            <TD className="font-mono text-xs">{i.environment}</TD>
            <TD>
              <div className="flex flex-wrap gap-1">
                <Badge tone={i.isActive ? "green" : "neutral"}>{i.isActive ? "active" : "inactive"}</Badge>
                {i.isPrimary ? <Badge tone="indigo">primary</Badge> : null}
              </div>
            </TD>
            <TD>
              {i.checked ? (
                <HealthSummary i={i} timeZone={timeZone} />
              ) : (
                <div className="space-y-0.5">
                  <HealthBadge status={i.health} />
                  <div className="text-xs text-gray-600">no health check for this kind</div>
                  {i.health === "unhealthy" && i.healthMessage ? (
                    <div className="max-w-xs break-words text-xs text-gray-800">{i.healthMessage}</div>
                  ) : null}
                </div>
              )}
            </TD>
            {manage ? (
              <TD>{i.checked ? <CheckNowButton org={org} id={i.id} name={i.name} /> : null}</TD>
            ) : null}
          </TR>
        ))}
      </TBody>
    </Table>
  );
}

/** Deleted configs, restorable (inactive) by those who manage them. */
export function DeletedIntegrations({
  org,
  items,
  manage,
  timeZone,
}: {
  org: string;
  items: IntegrationView[];
  manage: boolean;
  timeZone: string;
}) {
  return (
    <ul className="divide-y divide-gray-200 rounded-md border border-gray-200 bg-white">
      {items.map((i) => (
        <li key={i.id} className="flex flex-wrap items-center justify-between gap-2 px-4 py-2 text-sm">
          <span>
            {i.name}{" "}
            <span className="text-gray-600">
              ({i.platformLabel} {i.configTypeLabel},{" "}
            </span>
            <span className="font-mono text-gray-600">{i.environment}</span>
            <span className="text-gray-600">
              ) · deleted {i.deletedAt ? formatStamp(i.deletedAt, timeZone) : ""}
            </span>
          </span>
          {manage ? <RestoreIntegrationButton org={org} id={i.id} name={i.name} /> : null}
        </li>
      ))}
    </ul>
  );
}
