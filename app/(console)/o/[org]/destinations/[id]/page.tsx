import type { Metadata } from "next";
import Link from "next/link";
import { notFound, redirect } from "next/navigation";
import { cache } from "react";
import {
  DeleteDestination,
  RestoreDestinationButton,
  TestConnectionButton,
} from "@/components/destinations/destination-buttons";
import { DestinationForm } from "@/components/destinations/destination-form";
import { ConnectionStatus } from "@/components/destinations/destination-table";
import { typeSpecs } from "@/components/destinations/type-specs";
import { PageHeader } from "@/components/ui/page-header";
import { withReads } from "@/db/context";
import { CONSENT_PURPOSES } from "@/lib/destinations/consent";
import { formatStamp } from "@/lib/format";
import { can } from "@/lib/policy";
import { destinationDetail } from "@/server/destinations/destination-reads";
import { type Member, memberContext, requireMember } from "@/server/session";

/** Once per request: the title and the page read the same destination. */
const detailOf = cache((member: Member, id: string) => withReads(member, (r) => destinationDetail(r, id)));

const isUuid = (id: string) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id);

export async function generateMetadata(props: PageProps<"/o/[org]/destinations/[id]">): Promise<Metadata> {
  const { org, id } = await props.params;
  const member = await memberContext(org);
  const d =
    member && isUuid(id) && can(member.role, "integrations:manage") ? await detailOf(member, id) : null;
  return { title: `${d ? d.name : "Destination"} · Destinations` };
}

export default async function DestinationPage(props: PageProps<"/o/[org]/destinations/[id]">) {
  const { org, id } = await props.params;
  const member = await requireMember(org);
  if (!can(member.role, "integrations:manage")) redirect(`/o/${org}/destinations`);
  if (!isUuid(id)) notFound();
  const d = await detailOf(member, id);
  if (!d) notFound();
  const tz = member.org.timeZone;
  const back = (
    <Link href={`/o/${org}/destinations`} className="text-sm text-indigo-700 underline">
      All destinations
    </Link>
  );
  if (d.deletedAt)
    return (
      <div className="max-w-3xl space-y-6">
        <PageHeader title={d.name} description={`${d.typeLabel} in ${d.environment}.`} actions={back} />
        <p className="text-sm text-gray-700">
          Deleted {formatStamp(d.deletedAt, tz)}. Restored, it comes back disabled and untested.
        </p>
        <RestoreDestinationButton org={org} id={d.id} name={d.name} />
      </div>
    );
  return (
    <div className="max-w-3xl space-y-8">
      <PageHeader
        title={d.name}
        description={`${d.typeLabel} in ${d.environment}: its type and environment stay as they are. Times in ${tz}.`}
        actions={back}
      />
      <section aria-labelledby="connection-heading" className="space-y-2">
        <h2 id="connection-heading" className="text-lg font-semibold">
          Connection
        </h2>
        <div className="flex flex-wrap items-start gap-4">
          <ConnectionStatus d={d} timeZone={tz} />
          <TestConnectionButton org={org} id={d.id} name={d.name} />
        </div>
      </section>
      <section aria-labelledby="settings-heading" className="space-y-3">
        <h2 id="settings-heading" className="text-lg font-semibold">
          Settings
        </h2>
        <DestinationForm
          org={org}
          specs={typeSpecs().filter((s) => s.type === d.type)}
          purposes={CONSENT_PURPOSES}
          editing={{
            id: d.id,
            version: d.version,
            type: d.type,
            environment: d.environment,
            production: d.production,
            name: d.name,
            description: d.description,
            settings: d.settings,
            requiredConsent: d.requiredConsent,
            enabled: d.enabled,
            testMode: d.testMode,
            vault: d.vault,
          }}
        />
      </section>
      <section aria-labelledby="delete-heading" className="space-y-3">
        <h2 id="delete-heading" className="text-lg font-semibold">
          Delete
        </h2>
        <DeleteDestination org={org} id={d.id} version={d.version} name={d.name} production={d.production} />
      </section>
    </div>
  );
}
