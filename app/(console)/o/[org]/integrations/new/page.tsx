import { redirect } from "next/navigation";
import { type EnvironmentChoice, IntegrationForm } from "@/components/integrations/integration-form";
import { formSpec } from "@/components/integrations/platform-specs";
import { PageHeader } from "@/components/ui/page-header";
import { withReads } from "@/db/context";
import { matrixEnvironments } from "@/db/repos/matrix";
import { can } from "@/lib/policy";
import { type EnvironmentType, environmentTier } from "@/lib/roles";
import { defaultIntegrationVaultValues } from "@/server/integrations/integration-reads";
import { requireMember } from "@/server/session";

export const metadata = { title: "New integration · Integrations" };

export default async function NewIntegrationPage(props: PageProps<"/o/[org]/integrations/new">) {
  const { org } = await props.params;
  const member = await requireMember(org);
  if (!can(member.role, "integrations:manage")) redirect(`/o/${org}/integrations`);
  const [envs, withValue] = await withReads(member, async (r) => {
    const list = await matrixEnvironments(r);
    return [list, await defaultIntegrationVaultValues(r, list)] as const;
  });
  const environments: EnvironmentChoice[] = envs.map((e) => ({
    name: e.name,
    production: environmentTier(e.environmentType as EnvironmentType) === "production",
    withValue: withValue[e.name] ?? [],
  }));
  return (
    <div className="max-w-3xl space-y-6">
      <PageHeader
        title="New integration"
        description="One config per platform, kind and environment. Secrets typed here are written to the vault as values of the environment (through the same checks and approvals as any value) and are never shown again."
      />
      <IntegrationForm org={org} spec={formSpec()} environments={environments} />
    </div>
  );
}
