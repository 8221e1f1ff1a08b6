import { KeyPolicyForm, RevokeKeyForm, StartRotationForm } from "@/components/keys/key-forms";
import { RotationProgress } from "@/components/keys/rotation-progress";
import { Badge } from "@/components/ui/badge";
import { Card } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { Table, TBody, TD, TH, THead, TR } from "@/components/ui/table";
import { withContext } from "@/db/context";
import { formatDate, formatDateTime } from "@/lib/format";
import { can } from "@/lib/policy";
import { keysOverview } from "@/server/keys/key-reads";
import { requireMember } from "@/server/session";

export const metadata = { title: "Encryption keys" };

const statusTone = {
  pending: "indigo",
  active: "green",
  rotating: "indigo",
  deprecated: "amber",
  revoked: "red",
} as const;

/**
 * The organization's encryption keys (keys:read): each version and its status, the latest rotation's live
 * progress, and — for owners and admins — rotating, revoking a deprecated version and the key settings.
 */
export default async function KeysPage(props: PageProps<"/o/[org]/settings/keys">) {
  const { org } = await props.params;
  const member = await requireMember(org);
  if (!can(member.role, "keys:read"))
    return (
      <div className="max-w-4xl space-y-4">
        <PageHeader title="Encryption keys" />
        <p className="text-sm text-gray-600">
          Only owners, admins and security reviewers can see the encryption keys.
        </p>
      </div>
    );
  const overview = await withContext(member, (tx) => keysOverview(tx, member));
  const manage = can(member.role, "keys:manage");
  const versionOf = (keyId: string) => overview.keys.find((k) => k.keyId === keyId)?.keyVersion ?? 0;
  const rotation = overview.rotation;
  const zone = member.org.timeZone;
  const day = (d: Date | null) => (d ? formatDate(d, zone) : "—");
  const open = rotation?.status === "running" || rotation?.status === "paused";
  return (
    <div className="max-w-4xl space-y-8">
      <PageHeader
        title="Encryption keys"
        description="Values and secrets are encrypted under the organization's data key. A rotation makes a new version active at once and re-encrypts everything older in the background; the console stays usable meanwhile."
      />
      <Card>
        <div className="space-y-4 p-4">
          {rotation ? (
            <RotationProgress
              rotation={{
                ...rotation,
                startedAt: formatDateTime(rotation.startedAt, zone, { zone: true }),
                finishedAt: rotation.finishedAt
                  ? formatDateTime(rotation.finishedAt, zone, { zone: true })
                  : null,
                version: versionOf(rotation.dataKeyId),
                hashesSwappedAt: rotation.hashesSwappedAt
                  ? formatDateTime(rotation.hashesSwappedAt, zone, { zone: true })
                  : null,
              }}
            />
          ) : (
            <p className="text-sm text-gray-600">The data key has never been rotated.</p>
          )}
          {rotation && rotation.failures.length > 0 ? (
            <ul aria-label="Rows that could not be re-encrypted" className="list-disc pl-5 text-sm">
              {rotation.failures.map((f) => (
                <li key={`${f.store}:${f.rowId}`}>
                  {f.store} {f.rowId}: {f.reason}
                </li>
              ))}
            </ul>
          ) : null}
          {manage ? <StartRotationForm org={org} disabled={open} /> : null}
        </div>
      </Card>
      <Table aria-label="Key versions">
        <THead>
          <tr>
            <TH>Key</TH>
            <TH>Version</TH>
            <TH>Status</TH>
            <TH>Created</TH>
            <TH>Rotated away</TH>
            <TH>
              <span className="sr-only">Actions</span>
            </TH>
          </tr>
        </THead>
        <TBody>
          {overview.keys.map((k) => (
            <TR key={k.keyId}>
              <TD>{k.keyType === "data" ? "Data key" : "Hash key"}</TD>
              <TD>{k.keyVersion}</TD>
              <TD>
                <Badge tone={statusTone[k.keyStatus as keyof typeof statusTone] ?? "neutral"}>
                  {k.keyStatus}
                </Badge>
              </TD>
              <TD>{day(k.createdAt)}</TD>
              <TD>{day(k.rotatedAt)}</TD>
              <TD>
                {manage && k.keyType === "data" && k.keyStatus === "deprecated" ? (
                  <RevokeKeyForm org={org} keyId={k.keyId} version={k.keyVersion} />
                ) : null}
              </TD>
            </TR>
          ))}
        </TBody>
      </Table>
      {overview.history.length > 0 ? (
        <Table aria-label="Earlier rotations">
          <THead>
            <tr>
              <TH>To version</TH>
              <TH>Status</TH>
              <TH>Re-encrypted</TH>
              <TH>Failed</TH>
              <TH>Started</TH>
              <TH>Finished</TH>
            </tr>
          </THead>
          <TBody>
            {overview.history.map((r) => (
              <TR key={r.id}>
                <TD>{versionOf(r.dataKeyId)}</TD>
                <TD>{r.status}</TD>
                <TD>{r.processed.toLocaleString("en-GB")}</TD>
                <TD>{r.failed.toLocaleString("en-GB")}</TD>
                <TD>{formatDateTime(r.startedAt, zone)}</TD>
                <TD>{r.finishedAt ? formatDateTime(r.finishedAt, zone) : "—"}</TD>
              </TR>
            ))}
          </TBody>
        </Table>
      ) : null}
      <Card>
        <div className="space-y-4 p-4">
          <h2 className="text-lg font-semibold">Key settings</h2>
          {manage ? (
            <KeyPolicyForm org={org} {...overview.settings} />
          ) : (
            <p className="text-sm">
              Minimum decryption version {overview.settings.minDecryptionVersion}; rotation{" "}
              {overview.settings.dataKeyRotationDays
                ? `every ${overview.settings.dataKeyRotationDays} days`
                : "not scheduled"}
              .
            </p>
          )}
        </div>
      </Card>
    </div>
  );
}
