import { ActivityPanel } from "@/components/audit/activity-chart";
import { AuditFilterForm } from "@/components/audit/audit-filters";
import { VerifyChain } from "@/components/audit/verify-chain";
import { Badge } from "@/components/ui/badge";
import { PageHeader } from "@/components/ui/page-header";
import { Table, TBody, TD, TH, THead, TR } from "@/components/ui/table";
import { formatStamp } from "@/lib/format";
import { can } from "@/lib/policy";
import { type AuditFilters, auditFilters } from "@/lib/validation/audit";
import { auditPage } from "@/server/audit/audit-reads";
import { requireMember } from "@/server/session";

const RISK_TONE = { LOW: "neutral", MEDIUM: "indigo", HIGH: "amber", CRITICAL: "red" } as const;

export const metadata = { title: "Audit" };

export default async function AuditPage(props: PageProps<"/o/[org]/audit">) {
  const { org } = await props.params;
  const sp = await props.searchParams;
  const member = await requireMember(org);
  if (!can(member.role, "audit:read")) {
    return (
      <div className="space-y-6">
        <PageHeader title="Audit" />
        <p className="text-sm text-gray-600">Your role cannot read the audit trail.</p>
      </div>
    );
  }
  const raw = Object.fromEntries(Object.entries(sp).filter(([, v]) => typeof v === "string")) as Record<
    string,
    string
  >;
  const parsed = auditFilters.safeParse(raw);
  const errors: Record<string, string[]> = {};
  if (!parsed.success) for (const i of parsed.error.issues) errors[i.path.join(".")] = [i.message];
  const f: Partial<AuditFilters> = parsed.success ? parsed.data : {};
  const tz = member.org.timeZone;
  const { rows, nextBefore } = await auditPage(member, f, tz);
  const query = (extra: Record<string, string>) => {
    const q = new URLSearchParams({ ...raw, ...extra });
    for (const [k, v] of [...q.entries()]) if (!v) q.delete(k);
    return q.toString();
  };
  const { before: _b, ...exportFilters } = raw;
  const exportHref = (format: string) =>
    `/api/o/${org}/audit/export?${new URLSearchParams({ ...exportFilters, format })}`;
  return (
    <div className="space-y-6">
      <PageHeader
        title="Audit"
        description="Append-only and hash-chained: every change and every reveal, newest first. Audit rows hold hashes and metadata, never values."
        actions={<VerifyChain org={org} />}
      />
      <AuditFilterForm f={f} errors={errors} />
      <ActivityPanel org={org} query={new URLSearchParams(exportFilters).toString()} />
      <div className="flex flex-wrap items-center justify-between gap-3 text-sm">
        <span className="text-gray-600">
          {f.before ? `Rows before #${f.before}` : "Newest rows"} ({rows.length} shown)
        </span>
        <span className="flex gap-3">
          <a className="text-indigo-700 underline" href={exportHref("csv")} download>
            Export CSV
          </a>
          <a className="text-indigo-700 underline" href={exportHref("json")} download>
            Export JSON
          </a>
        </span>
      </div>
      <Table aria-label="Audit trail">
        <THead>
          <TR>
            <TH>#</TH>
            <TH>When</TH>
            <TH>Who</TH>
            <TH>Action</TH>
            <TH>Resource</TH>
            <TH>Variable</TH>
            <TH>Environment</TH>
            <TH>Details</TH>
          </TR>
        </THead>
        <TBody>
          {rows.map((r) => (
            <TR key={r.id}>
              <TD>{r.seq}</TD>
              <TD className="whitespace-nowrap">{formatStamp(r.createdAt, tz)}</TD>
              <TD>{r.user ?? "direct SQL"}</TD>
              <TD className="space-x-1 whitespace-nowrap">
                {r.action === "decrypt" ? <Badge tone="amber">reveal</Badge> : <span>{r.action}</span>}
                {r.riskLevel ? (
                  <Badge tone={RISK_TONE[r.riskLevel as keyof typeof RISK_TONE] ?? "neutral"}>
                    {r.riskLevel}
                  </Badge>
                ) : null}
                {r.emergency ? <Badge tone="red">emergency</Badge> : null}
              </TD>
              <TD>{r.resourceType}</TD>
              <TD className="font-mono text-xs">{r.variable ?? ""}</TD>
              <TD>{r.environment ?? ""}</TD>
              <TD className="text-xs">
                <details>
                  <summary className="cursor-pointer text-indigo-700">details</summary>
                  <dl className="mt-2 grid max-w-xl grid-cols-[9rem_1fr] gap-x-3 gap-y-1 break-all">
                    <dt className="text-gray-500">changed</dt>
                    <dd className="font-mono">{JSON.stringify(r.details)}</dd>
                    <dt className="text-gray-500">hash before → after</dt>
                    <dd className="font-mono">
                      {r.previousValueHash ? r.previousValueHash.slice(0, 12) : "—"} →{" "}
                      {r.newValueHash ? r.newValueHash.slice(0, 12) : "—"}
                    </dd>
                    <dt className="text-gray-500">IP · user agent</dt>
                    <dd>
                      {r.ipAddress ?? "—"} · {r.userAgent ?? "—"}
                    </dd>
                    <dt className="text-gray-500">context</dt>
                    <dd className="font-mono">{JSON.stringify(r.securityContext)}</dd>
                    <dt className="text-gray-500">row hash</dt>
                    <dd className="font-mono">{r.rowHash.slice(0, 16)}…</dd>
                  </dl>
                </details>
              </TD>
            </TR>
          ))}
        </TBody>
      </Table>
      <nav aria-label="Audit pages" className="flex gap-4 text-sm">
        {f.before ? (
          <a className="text-indigo-700 underline" href={`?${query({ before: "" })}`}>
            ← Newest
          </a>
        ) : null}
        {nextBefore ? (
          <a className="text-indigo-700 underline" href={`?${query({ before: String(nextBefore) })}`}>
            Older →
          </a>
        ) : null}
      </nav>
    </div>
  );
}
