import Link from "next/link";
import { DeletedDestinations, DestinationTable } from "@/components/destinations/destination-table";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { withReads } from "@/db/context";
import { capabilityControl } from "@/lib/controls";
import { destinationsPage } from "@/server/destinations/destination-reads";
import { requireMember } from "@/server/session";

export const metadata = { title: "Destinations" };

export default async function DestinationsPage(props: PageProps<"/o/[org]/destinations">) {
  const { org } = await props.params;
  const member = await requireMember(org);
  const control = capabilityControl(member.role, "integrations:manage");
  const manage = control.state === "enabled";
  const { live, deleted } = await withReads(member, (r) => destinationsPage(r));
  const tz = member.org.timeZone;
  return (
    <div className="space-y-8">
      <PageHeader
        title="Destinations"
        description={`Where the sites send analytics events, per environment, and the consent each needs. Keys are kept in the vault as variables of the environment and never shown here. Times in ${tz}.`}
        actions={
          manage ? (
            <Link
              href={`/o/${org}/destinations/new`}
              className="rounded-md bg-indigo-600 px-3 py-2 text-sm font-medium text-white hover:bg-indigo-500 focus:outline-none focus-visible:ring-2 focus-visible:ring-indigo-500 focus-visible:ring-offset-2"
            >
              New destination
            </Link>
          ) : null
        }
      />
      {control.state === "hidden" ? (
        <p className="text-sm text-gray-600">
          {control.reason} Owners and admins add, change and test destinations; you can see them here.
        </p>
      ) : null}
      <section aria-labelledby="destinations-heading" className="space-y-3">
        <h2 id="destinations-heading" className="text-lg font-semibold">
          Live ({live.length})
        </h2>
        {live.length === 0 ? (
          <EmptyState
            title="No destinations yet"
            description={manage ? "Add one: choose its type and environment." : undefined}
          />
        ) : (
          <DestinationTable org={org} items={live} manage={manage} timeZone={tz} />
        )}
      </section>
      {deleted.length > 0 ? (
        <section aria-labelledby="deleted-destinations-heading" className="space-y-3">
          <h2 id="deleted-destinations-heading" className="text-lg font-semibold">
            Deleted ({deleted.length})
          </h2>
          <DeletedDestinations org={org} items={deleted} manage={manage} timeZone={tz} />
        </section>
      ) : null}
    </div>
  );
}
