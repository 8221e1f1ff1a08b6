import Link from "next/link";
import { DeletedIntegrations, IntegrationTable } from "@/components/integrations/integration-table";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { withReads } from "@/db/context";
import { capabilityControl } from "@/lib/controls";
import { integrationsPage } from "@/server/integrations/integration-reads";
import { requireMember } from "@/server/session";

export const metadata = { title: "Integrations" };

export default async function IntegrationsPage(props: PageProps<"/o/[org]/integrations">) {
  const { org } = await props.params;
  const member = await requireMember(org);
  const control = capabilityControl(member.role, "integrations:manage");
  const manage = control.state === "enabled";
  const { live, deleted } = await withReads(member, (r) => integrationsPage(r));
  const tz = member.org.timeZone;
  return (
    <div className="space-y-8">
      <PageHeader
        title="Integrations"
        description={`Stripe, HubSpot and QuickBooks per environment: how they sync, and their health (checked every few minutes). Secrets are kept in the vault as variables of the environment and never shown here. Times in ${tz}.`}
        actions={
          manage ? (
            <Link
              href={`/o/${org}/integrations/new`}
              className="rounded-md bg-indigo-600 px-3 py-2 text-sm font-medium text-white hover:bg-indigo-500 focus:outline-none focus-visible:ring-2 focus-visible:ring-indigo-500 focus-visible:ring-offset-2"
            >
              New integration
            </Link>
          ) : null
        }
      />
      {control.state === "hidden" ? (
        <p className="text-sm text-gray-600">
          {control.reason} Owners and admins add, change and check integrations; you can see them here.
        </p>
      ) : null}
      <section aria-labelledby="integrations-heading" className="space-y-3">
        <h2 id="integrations-heading" className="text-lg font-semibold">
          Live ({live.length})
        </h2>
        {live.length === 0 ? (
          <EmptyState
            title="No integrations yet"
            description={manage ? "Add one: choose its platform, kind and environment." : undefined}
          />
        ) : (
          <IntegrationTable org={org} items={live} manage={manage} timeZone={tz} />
        )}
      </section>
      {deleted.length > 0 ? (
        <section aria-labelledby="deleted-integrations-heading" className="space-y-3">
          <h2 id="deleted-integrations-heading" className="text-lg font-semibold">
            Deleted ({deleted.length})
          </h2>
          <DeletedIntegrations org={org} items={deleted} manage={manage} timeZone={tz} />
        </section>
      ) : null}
    </div>
  );
}
