import type { Metadata } from "next";
import Link from "next/link";
import { DriftSparkline } from "@/components/dashboard/drift-sparkline";
import { IntegrationPrecheck } from "@/components/dashboard/integration-precheck";
import { KeyReminder } from "@/components/dashboard/key-reminder";
import { RotationPrecheck } from "@/components/dashboard/rotation-precheck";
import { WeddingPrecheck } from "@/components/dashboard/wedding-precheck";
import { Badge } from "@/components/ui/badge";
import { Card } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { withContext, withReads } from "@/db/context";
import { driftTrend, environmentHealth } from "@/db/repos/health";
import { integrationPrecheck } from "@/db/repos/integration-precheck";
import { rotationPrecheck } from "@/db/repos/rotation-precheck";
import { formatStamp } from "@/lib/format";
import { can } from "@/lib/policy";
import { dataKeyReminder } from "@/server/keys/key-reads";
import { precheckSummary } from "@/server/precheck/precheck";
import { memberContext, requireMember } from "@/server/session";

const tone = { healthy: "green", warning: "amber", critical: "red" } as const;

/** The organization's own page: its layout's title template applies only below it, so the title is whole. */
export async function generateMetadata(props: PageProps<"/o/[org]">): Promise<Metadata> {
  const { org } = await props.params;
  const name = (await memberContext(org))?.org.name ?? org;
  return { title: { absolute: `Dashboard · ${name} — Ringbearer` } };
}

export default async function DashboardPage(props: PageProps<"/o/[org]">) {
  const { org } = await props.params;
  const member = await requireMember(org);
  const [envs, trend, precheck, keyReminder, due, saturday] = await withReads(member, (r) =>
    Promise.all([
      environmentHealth(r),
      driftTrend(r, member.org.timeZone),
      withContext(r, (tx) => integrationPrecheck(tx, r.organizationId, new Date())),
      withContext(r, (tx) => dataKeyReminder(tx, r)),
      withContext(r, (tx) => rotationPrecheck(tx, r.organizationId, new Date())),
      withContext(r, (tx) => precheckSummary(tx, r)),
    ]),
  );
  return (
    <div className="space-y-6">
      <PageHeader title="Dashboard" description={`${member.org.name}: health of each environment.`} />
      {keyReminder ? (
        <KeyReminder
          org={org}
          timeZone={member.org.timeZone}
          reminder={keyReminder}
          canRotate={can(member.role, "keys:manage")}
        />
      ) : null}
      {saturday ? <WeddingPrecheck org={org} timeZone={member.org.timeZone} view={saturday} /> : null}
      {due && due.items.length > 0 ? <RotationPrecheck timeZone={member.org.timeZone} check={due} /> : null}
      {precheck ? <IntegrationPrecheck org={org} timeZone={member.org.timeZone} check={precheck} /> : null}
      <div className="grid gap-4 sm:grid-cols-2 lg:grid-cols-3">
        {envs.map((e) => (
          <Card key={e.id}>
            <section aria-label={`${e.name} health`} className="space-y-2 p-4">
              <div className="flex items-center justify-between">
                <h2 className="font-mono text-base font-semibold">{e.name}</h2>
                <Badge tone={tone[e.health.status]}>{e.health.status}</Badge>
              </div>
              <dl className="grid grid-cols-2 gap-1 text-sm">
                <dt className="text-gray-500">Missing required</dt>
                <dd>{e.health.missing_variables}</dd>
                <dt className="text-gray-500">Unresolved drift</dt>
                <dd>{e.health.configuration_drift}</dd>
                <dt className="text-gray-500">Failed validations</dt>
                <dd>{e.health.failed_validations}</dd>
                <dt className="text-gray-500">Last sync</dt>
                <dd>
                  {e.health.last_sync
                    ? formatStamp(new Date(e.health.last_sync), member.org.timeZone)
                    : "never"}
                </dd>
              </dl>
              {e.health.reasons.length > 0 ? (
                <ul
                  className="list-disc pl-5 text-sm text-gray-800"
                  aria-label={`Why ${e.name} is ${e.health.status}`}
                >
                  {e.health.reasons.map((r) => (
                    <li key={r}>{r}</li>
                  ))}
                </ul>
              ) : null}
              <DriftSparkline points={trend.get(e.id) ?? []} label={`${e.name} drift`} />
              {e.health.configuration_drift > 0 ? (
                <Link href={`/o/${org}/drift`} className="mr-3 text-sm text-indigo-700 hover:underline">
                  Resolve drift
                </Link>
              ) : null}
              {e.health.missing_variables > 0 ? (
                <p className="text-sm text-gray-800">
                  Missing: {e.health.missing_names.join(", ")}
                  {e.health.missing_hidden > 0
                    ? `${e.health.missing_names.length > 0 ? " and " : ""}${e.health.missing_hidden} you may not read`
                    : ""}
                </p>
              ) : null}
              {e.health.missing_variables > 0 ? (
                <Link href={`/o/${org}/variables`} className="text-sm text-indigo-700 hover:underline">
                  See missing variables
                </Link>
              ) : null}
            </section>
          </Card>
        ))}
      </div>
    </div>
  );
}
