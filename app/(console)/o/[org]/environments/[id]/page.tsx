import type { Metadata } from "next";
import { notFound, redirect } from "next/navigation";
import { cache } from "react";
import { EnvironmentForm } from "@/components/environments/environment-form";
import { PageHeader } from "@/components/ui/page-header";
import { listEnvironments } from "@/db/repos/variables";
import { can } from "@/lib/policy";
import { memberContext, requireMember } from "@/server/session";

/** Once per request: the title and the page read the same list. */
const environmentsOf = cache(listEnvironments);

export async function generateMetadata(props: PageProps<"/o/[org]/environments/[id]">): Promise<Metadata> {
  const { org, id } = await props.params;
  const member = await memberContext(org);
  const env = member ? (await environmentsOf(member)).find((e) => e.id === id) : undefined;
  return { title: `${env ? `Edit ${env.name}` : "Edit"} · Environments` };
}

export default async function EditEnvironmentPage(props: PageProps<"/o/[org]/environments/[id]">) {
  const { org, id } = await props.params;
  const member = await requireMember(org);
  if (!can(member.role, "environment:manage")) redirect(`/o/${org}/environments`);
  const env = (await environmentsOf(member)).find((e) => e.id === id);
  if (!env) notFound();
  return (
    <div className="max-w-2xl space-y-6">
      <PageHeader title={`Edit ${env.name}`} />
      <EnvironmentForm org={org} environment={env} />
    </div>
  );
}
