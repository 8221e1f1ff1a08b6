import Link from "next/link";
import { DriftActions } from "@/components/drift/drift-actions";
import { DriftSummary } from "@/components/drift/drift-summary";
import { RollbackButton } from "@/components/drift/rollback-button";
import { TargetButtons } from "@/components/drift/target-buttons";
import { TargetForm } from "@/components/drift/target-form";
import { TargetSettings } from "@/components/drift/target-settings";
import { Badge } from "@/components/ui/badge";
import { PageHeader } from "@/components/ui/page-header";
import { Table, TBody, TD, TH, THead, TR } from "@/components/ui/table";
import {
  type DriftRow,
  driftSummary,
  listTargets,
  type PushProgress,
  recentSyncs,
  SEVERITIES,
  type Severity,
  unresolvedDrift,
} from "@/db/queries/drift";
import { listEnvironments, valueAccess } from "@/db/queries/variables";
import { canPropose } from "@/lib/approvals";
import type { Control } from "@/lib/controls";
import { duration, formatStamp } from "@/lib/format";
import { atLeast, can } from "@/lib/policy";
import { type EnvironmentType, environmentTier } from "@/lib/roles";
import { searchText } from "@/lib/search-params";
import { environmentControls } from "@/server/controls";
import { requireMember } from "@/server/session";

const HIDDEN: Control = { state: "hidden", reason: "You cannot push there." };

const SEVERITY_TONE = { critical: "red", high: "red", medium: "amber", low: "neutral" } as const;

/** The drift in words an on-call engineer reads at 23:00. */
function driftInWords(d: DriftRow) {
  const details = d.details as { parity_with?: string; violation?: string; change_request?: string };
  if (details.parity_with) return `missing here, set in ${details.parity_with}`;
  switch (d.type) {
    case "missing_variable":
      return "missing on the target";
    case "unexpected_variable":
      return "on the target, unknown to the console";
    case "value_mismatch":
      return "deployed value differs";
    default:
      return details.violation === "expired_value_deployed"
        ? "security: an expired value is still deployed"
        : "security: a production value is deployed here";
  }
}

/** A running push in words: queued, reading the target, or sending its difference. */
function runningInWords(status: string, progress: PushProgress | null) {
  if (status === "pending") return "queued";
  if (progress?.phase === "sending")
    return `sending ${progress.set ?? 0} key(s), deleting ${progress.delete ?? 0}…`;
  return "reading what is deployed…";
}

export const metadata = { title: "Drift" };

export default async function DriftPage(props: PageProps<"/o/[org]/drift">) {
  const { org } = await props.params;
  const sp = await props.searchParams;
  const member = await requireMember(org);
  const filter = {
    environment: searchText(sp.env, 100),
    severity: SEVERITIES.find((s) => s === sp.severity) as Severity | undefined,
  };
  const filtered = Boolean(filter.environment || filter.severity);
  const [drift, counts, targets, syncs, envs, access, controls] = await Promise.all([
    unresolvedDrift(member, filter),
    driftSummary(member),
    listTargets(member),
    recentSyncs(member),
    listEnvironments(member),
    valueAccess(member, null),
    environmentControls(member),
  ]);
  const tz = member.org.timeZone;
  const now = new Date();
  const env = new Map(envs.map((e) => [e.id, e]));
  const writable = (environmentId: string) => atLeast(access[environmentId]?.permission ?? "none", "write");
  const readable = (environmentId: string) => atLeast(access[environmentId]?.permission ?? "none", "read");
  const locked = (environmentId: string) => {
    const e = env.get(environmentId);
    return Boolean(e?.locked && !e.emergency);
  };
  const manage = can(member.role, "environment:manage");
  return (
    <div className="space-y-8">
      <PageHeader
        title="Drift"
        description="What is deployed on each target, compared by hash with what the console holds. Push the console's value, adopt the deployed one (a normal write: versioned, audited, approved if it needs to be), or dismiss with a note."
      />
      <section aria-labelledby="drift-heading" className="space-y-3">
        <h2 id="drift-heading" className="text-lg font-semibold">
          Unresolved drift ({counts.reduce((n, c) => n + c.count, 0)})
        </h2>
        {counts.length > 0 ? <DriftSummary org={org} counts={counts} /> : null}
        {filtered ? (
          <p className="text-sm text-gray-700">
            Showing {filter.severity ?? "all"} drift in {filter.environment ?? "every environment"} (
            {drift.length}
            ).{" "}
            <Link href={`/o/${org}/drift`} className="text-indigo-700 hover:underline">
              Show all
            </Link>
          </p>
        ) : null}
        {drift.length === 0 ? (
          <p className="text-sm text-gray-600">
            {filtered
              ? "No unresolved drift matches."
              : "No drift: every scanned target holds what the console expects."}
          </p>
        ) : (
          <Table aria-label="Unresolved drift">
            <THead>
              <TR>
                <TH>Severity</TH>
                <TH>Environment</TH>
                <TH>Target</TH>
                <TH>Key</TH>
                <TH>Drift</TH>
                <TH>Seen</TH>
                <TH>Resolve</TH>
              </TR>
            </THead>
            <TBody>
              {drift.map((d) => {
                const lockedNow = locked(d.environmentId);
                const label = `${d.name} on ${d.target ?? d.environment}`;
                return (
                  <TR key={d.id}>
                    <TD>
                      <Badge tone={SEVERITY_TONE[d.severity as keyof typeof SEVERITY_TONE]}>
                        {d.severity}
                      </Badge>
                    </TD>
                    <TD>{d.environment}</TD>
                    <TD>{d.target ?? "parity"}</TD>
                    <TD className="font-mono text-xs">{d.name}</TD>
                    <TD>{driftInWords(d)}</TD>
                    <TD className="whitespace-nowrap text-xs text-gray-600">
                      {duration(d.detectedAt, now)} ago
                      <br />
                      last {formatStamp(d.lastSeenAt, tz)}
                    </TD>
                    <TD>
                      {lockedNow ? (
                        <p className="mb-1 text-xs text-amber-800">
                          {d.environment} is locked for wedding hours: break glass to push or adopt.
                        </p>
                      ) : null}
                      <DriftActions
                        org={org}
                        id={d.id}
                        label={label}
                        canPush={
                          Boolean(d.targetId) &&
                          d.type !== "unexpected_variable" &&
                          writable(d.environmentId) &&
                          !lockedNow
                        }
                        canAdopt={
                          Boolean(d.targetId) &&
                          (d.type === "value_mismatch" || d.type === "unexpected_variable") &&
                          readable(d.environmentId) &&
                          (writable(d.environmentId) || canPropose(member.role)) &&
                          !lockedNow
                        }
                        canDismiss={can(member.role, "drift:resolve") || writable(d.environmentId)}
                      />
                    </TD>
                  </TR>
                );
              })}
            </TBody>
          </Table>
        )}
      </section>

      <section aria-labelledby="targets-heading" className="space-y-3">
        <h2 id="targets-heading" className="text-lg font-semibold">
          Sync targets
        </h2>
        {/* The form comes before the list: scans refresh the list live, and a form below it would move under
            the user's finger while they fill it in (on a phone, rows change height as they wrap). */}
        {manage ? (
          <TargetForm org={org} environments={envs.map((e) => ({ id: e.id, name: e.name }))} />
        ) : null}
        {targets.length === 0 ? (
          <p className="text-sm text-gray-600">
            No target yet. Run <code>npm run target -- --port 4400 --file ./deployed.env</code> next to a
            deployment and add it here, or add a <code>.env</code> file target on this server.
          </p>
        ) : (
          <Table aria-label="Sync targets">
            <THead>
              <TR>
                <TH>Target</TH>
                <TH>Environment</TH>
                <TH>Where</TH>
                <TH>Last contact</TH>
                <TH>
                  <span className="sr-only">Actions</span>
                </TH>
              </TR>
            </THead>
            <TBody>
              {targets.map((t) => (
                <TR key={t.id}>
                  <TD className="font-medium">
                    {t.name}
                    {t.isActive ? null : (
                      <>
                        {" "}
                        <Badge tone="neutral">inactive</Badge>
                      </>
                    )}
                    {t.autoPush && t.isActive ? (
                      <div className="text-xs font-normal text-gray-600">pushes automatically</div>
                    ) : null}
                  </TD>
                  <TD>{t.environment}</TD>
                  <TD className="text-xs">
                    {t.kind === "http" ? "HTTP" : ".env file"} ·{" "}
                    <span className="font-mono">{t.location}</span>
                    <br />
                    {t.managed} managed key(s){t.deleteUnmanaged ? " · deletes unmanaged keys" : ""} · scans
                    every {t.scanIntervalMinutes} min
                  </TD>
                  <TD className="text-xs">
                    {t.lastContactAt ? (
                      <>
                        <Badge tone={t.lastContactStatus === "passed" ? "green" : "red"}>
                          {t.lastContactStatus === "passed" ? "ok" : "failed"}
                        </Badge>{" "}
                        {formatStamp(t.lastContactAt, tz)}
                        <br />
                        {t.lastContactMessage}
                      </>
                    ) : (
                      "never"
                    )}
                  </TD>
                  <TD>
                    <TargetButtons
                      org={org}
                      id={t.id}
                      name={t.name}
                      active={t.isActive}
                      canTest={manage}
                      canScan={readable(t.environmentId)}
                      canPush={controls.get(t.environmentId)?.push.state === "enabled"}
                    />
                    {manage ? <TargetSettings org={org} target={t} /> : null}
                  </TD>
                </TR>
              ))}
            </TBody>
          </Table>
        )}
      </section>

      <section aria-labelledby="syncs-heading" className="space-y-3">
        <h2 id="syncs-heading" className="text-lg font-semibold">
          Recent syncs
        </h2>
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
                  <TD className="whitespace-nowrap">{formatStamp(s.startedAt, tz)}</TD>
                  <TD>
                    {s.target ?? "—"} ({s.environment})
                  </TD>
                  <TD>{s.type}</TD>
                  <TD>
                    <Badge
                      tone={s.status === "completed" ? "green" : s.status === "failed" ? "red" : "indigo"}
                    >
                      {s.status}
                    </Badge>
                    {s.status === "pending" || s.status === "in_progress" ? (
                      <div className="text-xs text-indigo-800" role="status">
                        {runningInWords(s.status, s.progress)}
                      </div>
                    ) : null}
                    {s.errors?.length ? (
                      <div className="text-xs text-red-700">{s.errors.join(" ")}</div>
                    ) : null}
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
                        when={formatStamp(s.startedAt, tz)}
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
    </div>
  );
}
