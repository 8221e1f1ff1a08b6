import Link from "next/link";
import { DriftActions } from "@/components/drift/drift-actions";
import { DriftSummary } from "@/components/drift/drift-summary";
import { SyncHistory } from "@/components/drift/sync-history";
import { TargetButtons } from "@/components/drift/target-buttons";
import { TargetForm } from "@/components/drift/target-form";
import { TargetSettings } from "@/components/drift/target-settings";
import { Badge } from "@/components/ui/badge";
import { PageHeader } from "@/components/ui/page-header";
import { Pager } from "@/components/ui/pager";
import { Table, TBody, TD, TH, THead, TR } from "@/components/ui/table";
import { withReads } from "@/db/context";
import {
  DRIFT_PAGE,
  type DriftRow,
  driftSummary,
  listTargets,
  recentSyncs,
  SEVERITIES,
  type Severity,
  unresolvedDrift,
} from "@/db/repos/drift";
import { listEnvironments } from "@/db/repos/variables";
import { canPropose } from "@/lib/approvals";
import { duration, formatStamp } from "@/lib/format";
import { pageWindow } from "@/lib/paging";
import { atLeast, can } from "@/lib/policy";
import { pageNumber, searchText } from "@/lib/search-params";
import { environmentControls } from "@/server/controls";
import { requireMember } from "@/server/session";
import { valueAccess } from "@/server/values/value-access";

/** The sync history shows the latest pushes; the audit trail keeps every one. */
const RECENT_SYNCS = 20;

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
  // One transaction for all of the page's reads (db/context.ts withReads); the counts place the page.
  const [window, drift, counts, targets, syncs, envs, access, controls] = await withReads(
    member,
    async (r) => {
      const [counts, ...rest] = await Promise.all([
        driftSummary(r),
        listTargets(r),
        recentSyncs(r, RECENT_SYNCS),
        listEnvironments(r),
        valueAccess(r, null),
        environmentControls(r),
      ]);
      const total = counts
        .filter((c) => !filter.environment || c.environment === filter.environment)
        .filter((c) => !filter.severity || c.severity === filter.severity)
        .reduce((n, c) => n + c.count, 0);
      const window = pageWindow(pageNumber(sp.page), DRIFT_PAGE, total);
      return [window, await unresolvedDrift(r, filter, window), counts, ...rest] as const;
    },
  );
  const pageHref = (page: number) => {
    const q = new URLSearchParams();
    if (filter.environment) q.set("env", filter.environment);
    if (filter.severity) q.set("severity", filter.severity);
    if (page > 1) q.set("page", String(page));
    const query = q.toString();
    return `/o/${org}/drift${query ? `?${query}` : ""}`;
  };
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
            {window.total}
            ).{" "}
            <Link href={`/o/${org}/drift`} className="text-indigo-700 hover:underline">
              Show all
            </Link>
          </p>
        ) : null}
        {window.pages > 1 ? <Pager noun="drift findings" window={window} href={pageHref} /> : null}
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

      <SyncHistory org={org} syncs={syncs} timeZone={tz} controls={controls} recent={RECENT_SYNCS} />
    </div>
  );
}
