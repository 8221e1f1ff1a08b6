import { redirect } from "next/navigation";
import { DestinationForm, type EnvironmentChoice } from "@/components/destinations/destination-form";
import { typeSpecs } from "@/components/destinations/type-specs";
import { PageHeader } from "@/components/ui/page-header";
import { withReads } from "@/db/context";
import { matrixEnvironments } from "@/db/repos/matrix";
import { CONSENT_PURPOSES } from "@/lib/destinations/consent";
import { can } from "@/lib/policy";
import { type EnvironmentType, environmentTier } from "@/lib/roles";
import { defaultVaultValues } from "@/server/destinations/destination-reads";
import { requireMember } from "@/server/session";

export const metadata = { title: "New destination · Destinations" };

export default async function NewDestinationPage(props: PageProps<"/o/[org]/destinations/new">) {
  const { org } = await props.params;
  const member = await requireMember(org);
  if (!can(member.role, "integrations:manage")) redirect(`/o/${org}/destinations`);
  const [envs, withValue] = await withReads(member, async (r) => {
    const list = await matrixEnvironments(r);
    return [list, await defaultVaultValues(r, list)] as const;
  });
  const environments: EnvironmentChoice[] = envs.map((e) => ({
    name: e.name,
    production: environmentTier(e.environmentType as EnvironmentType) === "production",
    withValue: withValue[e.name] ?? [],
  }));
  return (
    <div className="max-w-3xl space-y-6">
      <PageHeader
        title="New destination"
        description="One destination per type and environment. Keys typed here are written to the vault as values of the environment (through the same checks and approvals as any value) and are never shown again."
      />
      <DestinationForm
        org={org}
        specs={typeSpecs()}
        purposes={CONSENT_PURPOSES}
        environments={environments}
      />
    </div>
  );
}
