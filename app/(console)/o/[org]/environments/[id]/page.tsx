import { notFound, redirect } from "next/navigation";
import { EnvironmentForm } from "@/components/environments/environment-form";
import { PageHeader } from "@/components/ui/page-header";
import { listEnvironments } from "@/db/queries/variables";
import { can } from "@/lib/policy";
import { requireMember } from "@/server/session";

export default async function EditEnvironmentPage(props: PageProps<"/o/[org]/environments/[id]">) {
  const { org, id } = await props.params;
  const member = await requireMember(org);
  if (!can(member.role, "environment:manage")) redirect(`/o/${org}/environments`);
  const env = (await listEnvironments(member)).find((e) => e.id === id);
  if (!env) notFound();
  return (
    <div className="max-w-2xl space-y-6">
      <PageHeader title={`Edit ${env.name}`} />
      <EnvironmentForm org={org} environment={env} />
    </div>
  );
}
