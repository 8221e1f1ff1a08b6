import Link from "next/link";
import { Badge } from "@/components/ui/badge";
import { Table, TBody, TD, TH, THead, TR } from "@/components/ui/table";
import { formatStamp } from "@/lib/format";
import type { DestinationView } from "@/server/destinations/destination-reads";
import { RestoreDestinationButton, TestConnectionButton } from "./destination-buttons";

const CONNECTION_TONE = { connected: "green", failed: "red", testing: "amber", unknown: "neutral" } as const;

/** A destination's connection as a badge, with when it was last tested and the provider's error. */
export function ConnectionStatus({ d, timeZone }: { d: DestinationView; timeZone: string }) {
  return (
    <div className="space-y-0.5">
      <Badge tone={CONNECTION_TONE[d.connectionStatus as keyof typeof CONNECTION_TONE] ?? "neutral"}>
        {d.connectionStatus === "unknown" ? "not tested" : d.connectionStatus}
      </Badge>
      <div className="text-xs text-gray-600">
        {d.lastTestedAt ? `tested ${formatStamp(d.lastTestedAt, timeZone)}` : "never tested"}
      </div>
      {d.connectionStatus === "failed" && d.lastError ? (
        <div className="max-w-xs break-words text-xs text-red-800">{d.lastError}</div>
      ) : null}
    </div>
  );
}

/**
 * The live destinations: type, environment, whether it sends, the consent it needs and its connection. Those
 * who manage destinations get a link to each one's settings and a connection test; everyone else reads.
 */
export function DestinationTable({
  org,
  items,
  manage,
  timeZone,
}: {
  org: string;
  items: DestinationView[];
  manage: boolean;
  timeZone: string;
}) {
  return (
    <Table aria-label="Destinations">
      <THead>
        <TR>
          <TH>Name</TH>
          <TH>Environment</TH>
          <TH>Sends</TH>
          <TH>Consent</TH>
          <TH>Connection</TH>
          {manage ? (
            <TH>
              <span className="sr-only">Test</span>
            </TH>
          ) : null}
        </TR>
      </THead>
      <TBody>
        {items.map((d) => (
          <TR key={d.id}>
            <TD>
              {manage ? (
                <Link
                  href={`/o/${org}/destinations/${d.id}`}
                  className="font-medium text-indigo-700 underline"
                >
                  {d.name}
                </Link>
              ) : (
                <span className="font-medium">{d.name}</span>
              )}
              <div className="text-xs text-gray-600">{d.typeLabel}</div>
            </TD>
            <TD className="font-mono text-xs">{d.environment}</TD>
            <TD>
              <Badge tone={d.enabled ? "green" : "neutral"}>{d.enabled ? "enabled" : "disabled"}</Badge>
              {d.testMode ? (
                <div className="mt-0.5">
                  <Badge tone="indigo">test mode</Badge>
                </div>
              ) : null}
            </TD>
            <TD className="text-xs">{d.requiredConsent.length ? d.requiredConsent.join(", ") : "none"}</TD>
            <TD>
              <ConnectionStatus d={d} timeZone={timeZone} />
            </TD>
            {manage ? (
              <TD>
                <TestConnectionButton org={org} id={d.id} name={d.name} />
              </TD>
            ) : null}
          </TR>
        ))}
      </TBody>
    </Table>
  );
}

/** Deleted destinations, restorable (disabled) by those who manage them. */
export function DeletedDestinations({
  org,
  items,
  manage,
  timeZone,
}: {
  org: string;
  items: DestinationView[];
  manage: boolean;
  timeZone: string;
}) {
  return (
    <ul className="divide-y divide-gray-200 rounded-md border border-gray-200 bg-white">
      {items.map((d) => (
        <li key={d.id} className="flex flex-wrap items-center justify-between gap-2 px-4 py-2 text-sm">
          <span>
            {d.name} <span className="text-gray-600">({d.typeLabel}, </span>
            <span className="font-mono text-gray-600">{d.environment}</span>
            <span className="text-gray-600">
              ) · deleted {d.deletedAt ? formatStamp(d.deletedAt, timeZone) : ""}
            </span>
          </span>
          {manage ? <RestoreDestinationButton org={org} id={d.id} name={d.name} /> : null}
        </li>
      ))}
    </ul>
  );
}
