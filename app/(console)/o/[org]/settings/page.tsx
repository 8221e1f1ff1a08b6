import Link from "next/link";
import {
  DeleteOrganizationForm,
  RenameOrganizationForm,
  TransferOwnershipForm,
} from "@/components/organizations/organization-forms";
import { UsageTable } from "@/components/organizations/usage-table";
import { ValuesExportForm } from "@/components/organizations/values-export-form";
import {
  AddBlackoutForm,
  AddWindowForm,
  RemoveButton,
  TimeZoneForm,
} from "@/components/settings/protection-forms";
import { Card } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { withContext, withReads } from "@/db/context";
import { listMembers } from "@/db/repos/access";
import { protectionSettings } from "@/db/repos/protection";
import { describeWindow, formatInZone } from "@/lib/format";
import { can } from "@/lib/policy";
import { requireMember } from "@/server/session";
import { usageOf } from "@/server/usage/usage";

export const metadata = { title: "Settings" };

export default async function SettingsPage(props: PageProps<"/o/[org]/settings">) {
  const { org } = await props.params;
  const member = await requireMember(org);
  const manage = can(member.role, "settings:manage");
  const owner = can(member.role, "organization:manage");
  // One transaction for the page's reads (db/context.ts withReads).
  const { settings, others, usage } = await withReads(member, async (r) => ({
    settings: await protectionSettings(r),
    others: owner ? (await listMembers(r)).filter((m) => m.userId !== member.userId) : [],
    usage: manage ? await withContext(r, (tx) => usageOf(tx, r)) : [],
  }));
  const zones = ["UTC", ...Intl.supportedValuesOf("timeZone")];
  return (
    <div className="max-w-4xl space-y-8">
      <PageHeader
        title="Settings"
        description="Wedding hours: when environments with wedding-day protection are read-only. Times are in the organization's time zone."
      />
      {!manage ? (
        <p className="text-sm text-gray-600">Only owners and admins can change these settings.</p>
      ) : null}
      {can(member.role, "keys:read") ? (
        <p className="text-sm">
          <Link href={`/o/${org}/settings/keys`} className="font-medium text-indigo-700 underline">
            Encryption keys
          </Link>{" "}
          — versions, rotation and its progress.
        </p>
      ) : null}
      {owner ? (
        <Card>
          <section aria-labelledby="org-heading" className="space-y-4 p-4">
            <h2 id="org-heading" className="text-lg font-semibold">
              Organization
            </h2>
            <p className="text-sm text-gray-700">
              Its address stays <span className="font-mono">/o/{org}</span> whatever its name.
            </p>
            <RenameOrganizationForm org={org} name={member.org.name} />
            <TransferOwnershipForm
              org={org}
              members={others.map((m) => ({ userId: m.userId, label: `${m.name} (${m.email}) · ${m.role}` }))}
            />
          </section>
        </Card>
      ) : null}
      {owner ? (
        <Card>
          <section aria-labelledby="delete-heading" className="space-y-3 p-4">
            <h2 id="delete-heading" className="text-lg font-semibold">
              Delete organization
            </h2>
            <p className="text-sm text-gray-700">
              Before you delete it,{" "}
              <a href={`/api/o/${org}/export`} download className="text-indigo-700 underline">
                download its configuration
              </a>{" "}
              and the audit trail (Audit → Export). Deleting needs you to sign in again.
            </p>
            <DeleteOrganizationForm org={org} />
          </section>
        </Card>
      ) : null}
      {manage ? (
        <Card>
          <section aria-labelledby="usage-heading" className="space-y-3 p-4">
            <h2 id="usage-heading" className="text-lg font-semibold">
              Usage
            </h2>
            <p className="text-sm text-gray-700">
              What the organization uses against its limits, which the installation's operator sets. At a
              limit, creating more is refused; reading never is.
            </p>
            <UsageTable usage={usage} label="Usage and limits" />
          </section>
        </Card>
      ) : null}
      {manage ? (
        <Card>
          <section aria-labelledby="export-heading" className="space-y-2 p-4">
            <h2 id="export-heading" className="text-lg font-semibold">
              Export
            </h2>
            <p className="text-sm text-gray-700">
              What the organization is and how it is set up — environments, variables' definitions, members,
              wedding hours, deployment targets and webhook endpoints — as JSON. Never a value or a secret.
              The audit trail has its own export on the Audit page.
            </p>
            <a
              href={`/api/o/${org}/export`}
              download
              className="text-sm font-medium text-indigo-700 underline"
            >
              Download the configuration
            </a>
            <p className="pt-2 text-sm text-gray-700">
              The values too — every value you may read, in every environment — sealed with a passphrase you
              choose (scrypt and AES-256-GCM). Each value's export is recorded in the audit trail. Open the
              file with <span className="font-mono">ringbearer open-export FILE</span>.
            </p>
            <ValuesExportForm org={org} />
          </section>
        </Card>
      ) : null}
      <Card>
        <div className="space-y-4 p-4">
          <h2 className="text-lg font-semibold">Time zone</h2>
          {manage ? (
            <TimeZoneForm org={org} timeZone={settings.timeZone} zones={zones} />
          ) : (
            <p>{settings.timeZone}</p>
          )}
        </div>
      </Card>
      <Card>
        <div className="space-y-4 p-4">
          <h2 className="text-lg font-semibold">Weekly windows</h2>
          <ul className="divide-y divide-gray-200" aria-label="Weekly windows">
            {settings.windows.length === 0 ? (
              <li className="py-2 text-sm text-gray-500">No weekly windows.</li>
            ) : null}
            {settings.windows.map((w) => (
              <li key={w.id} className="flex items-center justify-between py-2 text-sm">
                <span>
                  {describeWindow(w)} {w.label ? <span className="text-gray-500">· {w.label}</span> : null}
                </span>
                {manage ? <RemoveButton org={org} id={w.id} kind="window" label={describeWindow(w)} /> : null}
              </li>
            ))}
          </ul>
          {manage ? <AddWindowForm org={org} /> : null}
        </div>
      </Card>
      <Card>
        <div className="space-y-4 p-4">
          <h2 className="text-lg font-semibold">Blackouts</h2>
          <ul className="divide-y divide-gray-200" aria-label="Blackouts">
            {settings.blackouts.length === 0 ? (
              <li className="py-2 text-sm text-gray-500">No upcoming blackouts.</li>
            ) : null}
            {settings.blackouts.map((b) => (
              <li key={b.id} className="flex items-center justify-between py-2 text-sm">
                <span>
                  {formatInZone(b.startsAt, settings.timeZone)} → {formatInZone(b.endsAt, settings.timeZone)}{" "}
                  <span className="text-gray-500">· {b.reason}</span>
                </span>
                {manage ? <RemoveButton org={org} id={b.id} kind="blackout" label={b.reason} /> : null}
              </li>
            ))}
          </ul>
          {manage ? <AddBlackoutForm org={org} /> : null}
        </div>
      </Card>
    </div>
  );
}
