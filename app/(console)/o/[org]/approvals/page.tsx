import { AcknowledgeForm } from "@/components/emergency/acknowledge-form";
import { ComingSoon } from "@/components/ui/coming-soon";
import { PageHeader } from "@/components/ui/page-header";
import { Table, TBody, TD, TH, THead, TR } from "@/components/ui/table";
import { openEmergencyReviews } from "@/db/queries/emergency";
import { formatStamp } from "@/lib/format";
import { requireMember } from "@/server/session";

const REVIEWERS = new Set(["owner", "admin", "security_reviewer"]);

export default async function ApprovalsPage(props: PageProps<"/o/[org]/approvals">) {
  const { org } = await props.params;
  const member = await requireMember(org);
  const reviewer = REVIEWERS.has(member.role);
  const reviews = reviewer ? await openEmergencyReviews(member) : [];
  return (
    <div className="space-y-6">
      <PageHeader
        title="Approvals"
        description="Emergency changes made with break-glass wait here for a security reviewer's acknowledgement."
      />
      <section aria-labelledby="emergency-reviews" className="space-y-3">
        <h2 id="emergency-reviews" className="text-lg font-semibold">
          Emergency changes to review ({reviews.length})
        </h2>
        {!reviewer ? (
          <p className="text-sm text-gray-600">
            Security reviewers, admins and owners acknowledge emergency changes.
          </p>
        ) : reviews.length === 0 ? (
          <p className="text-sm text-gray-600">Nothing to review.</p>
        ) : (
          <Table aria-label="Emergency changes">
            <THead>
              <TR>
                <TH>When</TH>
                <TH>Who</TH>
                <TH>Change</TH>
                <TH>Hash before → after</TH>
                <TH>Reason given</TH>
                <TH>
                  <span className="sr-only">Acknowledge</span>
                </TH>
              </TR>
            </THead>
            <TBody>
              {reviews.map((r) => (
                <TR key={r.id}>
                  <TD className="whitespace-nowrap">{formatStamp(r.createdAt, member.org.timeZone)}</TD>
                  <TD>{r.actor ?? "direct SQL"}</TD>
                  <TD>
                    {r.action} {r.resourceType} <span className="font-mono text-xs">{r.variable ?? ""}</span>
                    {r.environment ? ` in ${r.environment}` : ""}
                  </TD>
                  <TD className="font-mono text-xs">
                    {r.previousValueHash?.slice(0, 8) ?? "—"} → {r.newValueHash?.slice(0, 8) ?? "—"}
                  </TD>
                  <TD className="max-w-xs text-gray-700">{r.reason ?? ""}</TD>
                  <TD>
                    {r.actorId === member.userId ? (
                      <span className="text-xs text-gray-500">
                        your change: another reviewer acknowledges it
                      </span>
                    ) : (
                      <AcknowledgeForm
                        org={org}
                        id={r.id}
                        label={`${r.variable ?? r.resourceType} ${r.environment ?? ""}`}
                      />
                    )}
                  </TD>
                </TR>
              ))}
            </TBody>
          </Table>
        )}
      </section>
      <ComingSoon
        feature="Change requests"
        description="Four-eyes approval of HIGH and CRITICAL changes before they apply (risk scores are computed already)."
      />
    </div>
  );
}
