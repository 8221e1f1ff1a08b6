import { VerifyChain } from "@/components/audit/verify-chain";
import { Badge } from "@/components/ui/badge";
import { PageHeader } from "@/components/ui/page-header";
import { Table, TBody, TD, TH, THead, TR } from "@/components/ui/table";
import { recentAudit } from "@/db/queries/audit";
import { formatStamp } from "@/lib/format";
import { can } from "@/lib/policy";
import { requireMember } from "@/server/session";

export default async function AuditPage(props: PageProps<"/o/[org]/audit">) {
  const { org } = await props.params;
  const member = await requireMember(org);
  if (!can(member.role, "audit:read")) {
    return (
      <div className="space-y-6">
        <PageHeader title="Audit" />
        <p className="text-sm text-gray-600">Your role cannot read the audit trail.</p>
      </div>
    );
  }
  const rows = await recentAudit(member, 100);
  return (
    <div className="space-y-6">
      <PageHeader
        title="Audit"
        description="Append-only and hash-chained: every change and every reveal, newest first. Filters, export and the full explorer are coming."
        actions={<VerifyChain org={org} />}
      />
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
            <TH>Hash</TH>
          </TR>
        </THead>
        <TBody>
          {rows.map((r) => (
            <TR key={r.id}>
              <TD>{r.seq}</TD>
              <TD className="whitespace-nowrap">{formatStamp(r.createdAt, member.org.timeZone)}</TD>
              <TD>{r.user ?? "direct SQL"}</TD>
              <TD>
                {r.action === "decrypt" ? <Badge tone="amber">reveal</Badge> : r.action}
                {r.emergency ? (
                  <span className="ml-1">
                    <Badge tone="red">emergency</Badge>
                  </span>
                ) : null}
              </TD>
              <TD>{r.resourceType}</TD>
              <TD className="font-mono text-xs">{r.variable ?? ""}</TD>
              <TD>{r.environment ?? ""}</TD>
              <TD className="font-mono text-xs">{r.newValueHash ? r.newValueHash.slice(0, 8) : ""}</TD>
            </TR>
          ))}
        </TBody>
      </Table>
    </div>
  );
}
