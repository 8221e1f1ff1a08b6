import Link from "next/link";
import { Table, TBody, TD, TH, THead, TR } from "@/components/ui/table";
import { SEVERITIES, type Severity } from "@/lib/drift";

type Count = { environment: string; severity: Severity; count: number };

/**
 * Unresolved drift by environment and severity; each count links to the list filtered to it, and the
 * environment's name to all of its drift.
 */
export function DriftSummary({ org, counts }: { org: string; counts: Count[] }) {
  const environments = [...new Set(counts.map((c) => c.environment))];
  const countOf = (environment: string, severity: Severity) =>
    counts.find((c) => c.environment === environment && c.severity === severity)?.count ?? 0;
  const href = (environment: string, severity?: Severity) =>
    `/o/${org}/drift?${new URLSearchParams({ env: environment, ...(severity ? { severity } : {}) })}`;
  return (
    <Table aria-label="Unresolved drift by environment">
      <THead>
        <TR>
          <TH>Environment</TH>
          {SEVERITIES.map((s) => (
            <TH key={s}>{s}</TH>
          ))}
        </TR>
      </THead>
      <TBody>
        {environments.map((environment) => (
          <TR key={environment}>
            <TD>
              <Link href={href(environment)} className="text-indigo-700 hover:underline">
                {environment}
              </Link>
            </TD>
            {SEVERITIES.map((severity) => {
              const n = countOf(environment, severity);
              return (
                <TD key={severity}>
                  {n > 0 ? (
                    <Link
                      href={href(environment, severity)}
                      aria-label={`${n} ${severity} in ${environment}`}
                      className={`font-medium hover:underline ${severity === "critical" || severity === "high" ? "text-red-700" : "text-gray-900"}`}
                    >
                      {n}
                    </Link>
                  ) : (
                    <span className="text-quiet">0</span>
                  )}
                </TD>
              );
            })}
          </TR>
        ))}
      </TBody>
    </Table>
  );
}
