import { Badge } from "@/components/ui/badge";
import { Table, TBody, TD, TH, THead, TR } from "@/components/ui/table";
import type { PushProgress, recentSyncs } from "@/db/repos/drift";
import type { Control } from "@/lib/controls";
import { formatStamp } from "@/lib/format";
import { type EnvironmentType, environmentTier } from "@/lib/roles";
import { RollbackButton } from "./rollback-button";

const HIDDEN: Control = { state: "hidden", reason: "You cannot push there." };

type Props = {
  org: string;
  syncs: Awaited<ReturnType<typeof recentSyncs>>;
  timeZone: string;
  /** Per environment id: whether the caller may push (and so roll back) there now. */
  controls: Map<string, { push: Control }>;
  /** How many the list holds at most (the latest). */
  recent: number;
};

/** A running push in words: queued, reading the target, or sending its difference. */
function runningInWords(status: string, progress: PushProgress | null) {
  if (status === "pending") return "queued";
  if (progress?.phase === "sending")
    return `sending ${progress.set ?? 0} key(s), deleting ${progress.delete ?? 0}…`;
  return "reading what is deployed…";
}

/** The drift page's history of pushes, the latest first; a completed full push can be rolled back to. */
export function SyncHistory({ org, syncs, timeZone, controls, recent }: Props) {
  return (
    <section aria-labelledby="syncs-heading" className="space-y-3">
      <h2 id="syncs-heading" className="text-lg font-semibold">
        Recent syncs
      </h2>
      {syncs.length === recent ? (
        <p className="text-sm text-gray-700">The latest {recent}; the audit trail keeps every push.</p>
      ) : null}
      {syncs.length === 0 ? (
        <p className="text-sm text-gray-600">Nothing pushed yet.</p>
      ) : (
        <Table aria-label="Recent syncs">
          <THead>
            <TR>
              <TH>When</TH>
              <TH>Target</TH>
              <TH>Kind</TH>
              <TH>Status</TH>
              <TH>Keys</TH>
              <TH>By</TH>
              <TH>
                <span className="sr-only">Roll back</span>
              </TH>
            </TR>
          </THead>
          <TBody>
            {syncs.map((s) => (
              <TR key={s.id}>
                <TD className="whitespace-nowrap">{formatStamp(s.startedAt, timeZone)}</TD>
                <TD>
                  {s.target ?? "—"} ({s.environment})
                </TD>
                <TD>{s.type}</TD>
                <TD>
                  <Badge tone={s.status === "completed" ? "green" : s.status === "failed" ? "red" : "indigo"}>
                    {s.status}
                  </Badge>
                  {s.status === "pending" || s.status === "in_progress" ? (
                    <div className="text-xs text-indigo-800" role="status">
                      {runningInWords(s.status, s.progress)}
                    </div>
                  ) : null}
                  {s.errors?.length ? <div className="text-xs text-red-700">{s.errors.join(" ")}</div> : null}
                </TD>
                <TD>
                  {s.synced} changed{s.failed ? `, ${s.failed} failed` : ""}
                  {s.durationMs !== null ? ` · ${s.durationMs} ms` : ""}
                </TD>
                <TD className="text-xs">{s.startedBy}</TD>
                <TD>
                  {s.rollbackable && s.targetId && s.target ? (
                    <RollbackButton
                      org={org}
                      targetId={s.targetId}
                      syncId={s.id}
                      target={s.target}
                      environment={s.environment}
                      production={environmentTier(s.environmentType as EnvironmentType) === "production"}
                      when={formatStamp(s.startedAt, timeZone)}
                      keys={Object.entries(s.snapshot ?? {})
                        .map(([name, k]) => ({ name, version: k.version }))
                        .sort((a, b) => a.name.localeCompare(b.name))}
                      control={controls.get(s.environmentId)?.push ?? HIDDEN}
                    />
                  ) : null}
                </TD>
              </TR>
            ))}
          </TBody>
        </Table>
      )}
    </section>
  );
}
