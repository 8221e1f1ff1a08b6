import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { cache } from "react";
import { HealthHistory, InboundLog } from "@/components/integrations/integration-activity";
import {
  CheckNowButton,
  DeleteIntegration,
  RestoreIntegrationButton,
} from "@/components/integrations/integration-buttons";
import { IntegrationForm } from "@/components/integrations/integration-form";
import { HealthBadge, HealthSummary } from "@/components/integrations/integration-table";
import { OauthConnection } from "@/components/integrations/oauth-connection";
import { formSpec } from "@/components/integrations/platform-specs";
import { WebhookEndpoint } from "@/components/integrations/webhook-endpoint";
import { PageHeader } from "@/components/ui/page-header";
import { withReads } from "@/db/context";
import { capabilityControl } from "@/lib/controls";
import { formatStamp } from "@/lib/format";
import { publicOrigin } from "@/server/access/invitation-requests";
import { integrationDetail } from "@/server/integrations/integration-reads";
import { callbackUrl } from "@/server/integrations/oauth";
import { type Member, memberContext, requireMember } from "@/server/session";

/** Once per request: the title and the page read the same config. */
const detailOf = cache((member: Member, id: string) => withReads(member, (r) => integrationDetail(r, id)));

const isUuid = (id: string) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id);

export async function generateMetadata(props: PageProps<"/o/[org]/integrations/[id]">): Promise<Metadata> {
  const { org, id } = await props.params;
  const member = await memberContext(org);
  const i = member && isUuid(id) ? await detailOf(member, id) : null;
  return { title: `${i ? i.name : "Integration"} · Integrations` };
}

function Section({ id, title, children }: { id: string; title: string; children: React.ReactNode }) {
  return (
    <section aria-labelledby={`${id}-heading`} className="space-y-3">
      <h2 id={`${id}-heading`} className="text-lg font-semibold">
        {title}
      </h2>
      {children}
    </section>
  );
}

export default async function IntegrationPage(props: PageProps<"/o/[org]/integrations/[id]">) {
  const { org, id } = await props.params;
  const member = await requireMember(org);
  // Every member reads a config's health, grant and events (on-call staff on a Saturday); changes are managers'.
  const control = capabilityControl(member.role, "integrations:manage");
  const manage = control.state === "enabled";
  if (!isUuid(id)) notFound();
  const i = await detailOf(member, id);
  if (!i) notFound();
  const tz = member.org.timeZone;
  const spec = formSpec();
  const kind = `${i.platformLabel} ${i.configTypeLabel} in ${i.environment}`;
  const back = (
    <Link href={`/o/${org}/integrations`} className="text-sm text-indigo-700 underline">
      All integrations
    </Link>
  );
  if (i.deletedAt)
    return (
      <div className="max-w-3xl space-y-6">
        <PageHeader title={i.name} description={`${kind}.`} actions={back} />
        <p className="text-sm text-gray-700">
          Deleted {formatStamp(i.deletedAt, tz)}. Restored, it comes back inactive, its health unknown.
        </p>
        {manage ? <RestoreIntegrationButton org={org} id={i.id} name={i.name} /> : null}
      </div>
    );
  return (
    <div className="max-w-3xl space-y-8">
      <PageHeader
        title={i.name}
        description={`${kind}: its platform, kind and environment stay as they are. Times in ${tz}.`}
        actions={back}
      />
      <Section id="health" title="Health">
        {i.checked ? (
          <div className="flex flex-wrap items-start gap-4">
            <HealthSummary i={i} timeZone={tz} />
            {manage ? <CheckNowButton org={org} id={i.id} name={i.name} /> : null}
          </div>
        ) : (
          <div className="space-y-1 text-sm text-gray-700">
            <HealthBadge status={i.health} />
            {i.healthMessage ? <p>{i.healthMessage}</p> : null}
            <p>This kind of config has no health check: its health follows what the provider sends.</p>
          </div>
        )}
        {i.checked || i.history.length > 0 ? <HealthHistory history={i.history} timeZone={tz} /> : null}
      </Section>
      {i.configType === "oauth" ? (
        <Section id="oauth" title="OAuth connection">
          <OauthConnection
            org={org}
            id={i.id}
            name={i.name}
            manage={manage}
            callback={callbackUrl(await publicOrigin())}
            grant={
              i.grant
                ? {
                    ...i.grant,
                    connectedAt: formatStamp(i.grant.connectedAt, tz),
                    accessExpiresAt: i.grant.accessExpiresAt
                      ? formatStamp(i.grant.accessExpiresAt, tz)
                      : null,
                    refreshedAt: i.grant.refreshedAt ? formatStamp(i.grant.refreshedAt, tz) : null,
                    revokedAt: i.grant.revokedAt ? formatStamp(i.grant.revokedAt, tz) : null,
                  }
                : null
            }
          />
        </Section>
      ) : null}
      {i.configType === "webhook" ? (
        <Section id="inbound" title="Inbound events">
          <WebhookEndpoint
            id={i.id}
            platform={i.platform}
            active={i.isActive}
            url={`${await publicOrigin()}/api/v1/integrations/${i.id}/webhook`}
          />
          <InboundLog events={i.events} timeZone={tz} />
        </Section>
      ) : null}
      {manage ? (
        <>
          <Section id="settings" title="Settings">
            <IntegrationForm
              org={org}
              spec={{ ...spec, platforms: spec.platforms.filter((s) => s.platform === i.platform) }}
              editing={{
                id: i.id,
                version: i.version,
                platform: i.platform,
                configType: i.configType,
                environment: i.environment,
                production: i.production,
                name: i.name,
                isPrimary: i.isPrimary,
                isActive: i.isActive,
                settings: i.settings,
                vault: i.vault,
              }}
            />
          </Section>
          <Section id="delete" title="Delete">
            <DeleteIntegration
              org={org}
              id={i.id}
              version={i.version}
              name={i.name}
              production={i.production}
            />
          </Section>
        </>
      ) : (
        <p className="text-sm text-gray-700">{control.reason}</p>
      )}
    </div>
  );
}
