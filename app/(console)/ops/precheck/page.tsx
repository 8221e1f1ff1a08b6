import { PrecheckRunAllForm } from "@/components/ops/precheck-run-form";
import { Badge } from "@/components/ui/badge";
import { PageHeader } from "@/components/ui/page-header";
import { Table, TBody, TD, TH, THead, TR } from "@/components/ui/table";
import { formatDateTime } from "@/lib/format";
import { PRECHECK_LEAD_HOURS } from "@/lib/precheck";
import { precheckBoard } from "@/server/precheck/precheck";
import { currentOperator } from "@/server/session";

export const metadata = { title: "Pre-check" };

const BY = { scheduled: "scheduled", on_demand: "on demand", operator: "operator" } as const;

/** Every organization's latest pre-check before its coming wedding hours: what Saturday holds, on Friday. */
export default async function OpsPrecheckPage() {
  const user = await currentOperator();
  if (!user) return null;
  const runs = await precheckBoard({ userId: user.id });
  const when = (d: Date) => formatDateTime(d, "UTC", { zone: true });
  return (
    <div className="max-w-6xl space-y-6">
      <PageHeader
        title="Pre-check"
        description={`Before each organization's wedding hours (${PRECHECK_LEAD_HOURS} hours ahead: Friday for Saturday's weddings), what its protected environments hold. Counts only; each organization's dashboard shows the same checklist.`}
        actions={<PrecheckRunAllForm />}
      />
      {runs.length === 0 ? (
        <p className="text-sm text-gray-600">No organization has wedding hours coming that were checked.</p>
      ) : (
        <Table aria-label="Pre-check by organization">
          <THead>
            <TR>
              <TH>Organization</TH>
              <TH>Wedding hours</TH>
              <TH>To look at</TH>
              <TH>Checked</TH>
            </TR>
          </THead>
          <TBody>
            {runs.map((r) => (
              <TR key={r.organizationId}>
                <TD className="break-all">
                  {r.report.organization?.name ?? r.organizationId}
                  <span className="block text-xs text-gray-500">{r.report.organization?.slug}</span>
                </TD>
                <TD>
                  {when(r.windowStartsAt)} – {when(r.windowEndsAt)}
                </TD>
                <TD>
                  {r.attention === 0 ? (
                    <Badge tone="green">all clear</Badge>
                  ) : (
                    <ul className="list-disc pl-4 text-xs">
                      {r.checklist
                        .filter((i) => !i.ok)
                        .map((i) => (
                          <li key={i.key}>
                            {i.label}
                            {i.details.length > 0 ? `: ${i.details.join("; ")}` : ""}
                          </li>
                        ))}
                    </ul>
                  )}
                </TD>
                <TD>
                  {when(r.ranAt)}
                  <span className="block text-xs text-gray-500">{BY[r.trigger]}</span>
                </TD>
              </TR>
            ))}
          </TBody>
        </Table>
      )}
    </div>
  );
}
