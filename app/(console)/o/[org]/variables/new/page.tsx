import { redirect } from "next/navigation";
import { PageHeader } from "@/components/ui/page-header";
import { VariableForm } from "@/components/variables/variable-form";
import { can } from "@/lib/policy";
import { requireMember } from "@/server/session";

export const metadata = { title: "New variable · Variables" };

export default async function NewVariablePage(props: PageProps<"/o/[org]/variables/new">) {
  const { org } = await props.params;
  const member = await requireMember(org);
  if (!can(member.role, "variable:create")) redirect(`/o/${org}/variables`);
  return (
    <div className="max-w-2xl space-y-6">
      <PageHeader title="New variable" description="Set values per environment after creating it." />
      <VariableForm org={org} />
    </div>
  );
}
