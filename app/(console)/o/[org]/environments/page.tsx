import Link from "next/link";
import { EnvironmentForm } from "@/components/environments/environment-form";
import { Badge } from "@/components/ui/badge";
import { PageHeader } from "@/components/ui/page-header";
import { Table, TBody, TD, TH, THead, TR } from "@/components/ui/table";
import { listEnvironments } from "@/db/repos/variables";
import { can } from "@/lib/policy";
import { requireMember } from "@/server/session";

export const metadata = { title: "Environments" };

export default async function EnvironmentsPage(props: PageProps<"/o/[org]/environments">) {
  const { org } = await props.params;
  const member = await requireMember(org);
  const envs = await listEnvironments(member);
  const manage = can(member.role, "environment:manage");
  return (
    <div className="space-y-8">
      <PageHeader
        title="Environments"
        description="Tiers a value can differ in; protected ones lock during wedding hours."
      />
      <Table aria-label="Environments">
        <THead>
          <TR>
            <TH>Name</TH>
            <TH>Type</TH>
            <TH>Protection</TH>
            <TH>Branch</TH>
            <TH>URL</TH>
            <TH>
              <span className="sr-only">Actions</span>
            </TH>
          </TR>
        </THead>
        <TBody>
          {envs.map((e) => (
            <TR key={e.id}>
              <TD>
                <span className="font-mono font-medium">{e.name}</span>{" "}
                <span className="text-gray-500">{e.displayName}</span>
              </TD>
              <TD>
                {e.environmentType.replace("_", " ")}{" "}
                {e.isProduction ? <Badge tone="red">production</Badge> : null}
              </TD>
              <TD>
                {e.weddingDayProtection ? (
                  <Badge tone="amber">{e.locked ? "locked now" : "wedding-day protection"}</Badge>
                ) : (
                  "—"
                )}
              </TD>
              <TD className="font-mono text-xs">{e.deploymentBranch ?? "—"}</TD>
              <TD className="text-xs">{e.deploymentUrl ?? "—"}</TD>
              <TD className="space-x-3 whitespace-nowrap">
                <Link
                  href={`/o/${org}/environments/${e.id}/dotenv`}
                  className="text-indigo-700 hover:underline"
                >
                  .env<span className="sr-only">: import or export {e.name}</span>
                </Link>
                {manage ? (
                  <Link
                    href={`/o/${org}/environments/${e.id}`}
                    className="text-indigo-700 hover:underline"
                    aria-label={`Edit ${e.name}`}
                  >
                    Edit
                  </Link>
                ) : null}
              </TD>
            </TR>
          ))}
        </TBody>
      </Table>
      {manage ? (
        <section aria-labelledby="new-env" className="max-w-2xl space-y-3">
          <h2 id="new-env" className="text-lg font-semibold">
            New environment
          </h2>
          <EnvironmentForm org={org} />
        </section>
      ) : null}
    </div>
  );
}
