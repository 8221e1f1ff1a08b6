import Link from "next/link";
import { IntegrityCheckForm } from "@/components/ops/integrity-check-form";
import { Badge } from "@/components/ui/badge";
import { PageHeader } from "@/components/ui/page-header";
import { Table, TBody, TD, TH, THead, TR } from "@/components/ui/table";
import { formatDateTime } from "@/lib/format";
import { integrityOverview } from "@/server/ops/integrity";
import { currentOperator } from "@/server/session";

export const metadata = { title: "Integrity" };

/** Each organization's latest integrity check: orphans, the audit chain, a decrypted sample per data key. */
export default async function OpsIntegrityPage() {
  const user = await currentOperator();
  if (!user) return null;
  const results = await integrityOverview({ userId: user.id });
  return (
    <div className="max-w-6xl space-y-6">
      <PageHeader
        title="Integrity"
        description="Every day at 03:00 UTC, and when you ask: rows that belong to no variable, environment or key of their organization, each organization's audit chain, and a few values per data key decrypted against their hashes. Counts only, never a value."
        actions={<IntegrityCheckForm />}
      />
      {results.length === 0 ? (
        <p className="text-sm text-gray-600">No check has run yet.</p>
      ) : (
        <Table aria-label="Integrity by organization">
          <THead>
            <TR>
              <TH>Organization</TH>
              <TH>Result</TH>
              <TH>Audit chain</TH>
              <TH>Sample decrypted</TH>
              <TH>Checked</TH>
            </TR>
          </THead>
          <TBody>
            {results.map((r) => (
              <TR key={r.organizationId}>
                <TD className="break-all">
                  {r.report.organization.name}
                  <span className="block text-xs text-gray-500">{r.report.organization.slug}</span>
                </TD>
                <TD>
                  {r.ok ? <Badge tone="green">passed</Badge> : <Badge tone="red">failed</Badge>}
                  {r.problems.length > 0 ? (
                    <ul className="mt-1 list-disc pl-4 text-xs">
                      {r.problems.map((p) => (
                        <li key={p}>{p}</li>
                      ))}
                    </ul>
                  ) : null}
                </TD>
                <TD>
                  {r.report.chain.brokenSeq === null
                    ? `${r.report.chain.rows.toLocaleString("en-GB")} rows, intact`
                    : `broken at row ${r.report.chain.brokenSeq}: ${r.report.chain.reason ?? ""}`}
                </TD>
                <TD>
                  {r.report.sample.length === 0
                    ? "no values"
                    : r.report.sample.map((s) => `${s.passed} of ${s.checked}`).join(", ")}
                </TD>
                <TD>{formatDateTime(r.checkedAt, "UTC", { zone: true })}</TD>
              </TR>
            ))}
          </TBody>
        </Table>
      )}
      <p className="text-sm text-gray-600">
        A failed check raises an alert on{" "}
        <Link href="/ops" className="text-indigo-700 underline">
          Database
        </Link>
        .
      </p>
    </div>
  );
}
