import { RevokeSessionButton } from "@/components/account/revoke-session-button";
import { PageHeader } from "@/components/ui/page-header";
import { Table, TBody, TD, TH, THead, TR } from "@/components/ui/table";
import { withContext } from "@/db/context";
import { mySessions } from "@/db/mutations/sessions";
import { formatStamp } from "@/lib/format";
import { requireMember } from "@/server/session";

export default async function AccountPage(props: PageProps<"/o/[org]/account">) {
  const { org } = await props.params;
  const member = await requireMember(org);
  const list = await withContext({ userId: member.userId }, (tx) => mySessions(tx, member.userId));
  const tz = member.org.timeZone;
  return (
    <div className="space-y-6">
      <PageHeader
        title="Your sessions"
        description="Where you are signed in. A session ends after 30 minutes without use or 12 hours in all; sign out any you do not recognise."
        actions={
          list.length > 1 ? <RevokeSessionButton org={org} label="Sign out all other sessions" /> : null
        }
      />
      <Table aria-label="Your sessions">
        <THead>
          <TR>
            <TH>Signed in</TH>
            <TH>Last used</TH>
            <TH>From</TH>
            <TH>Browser</TH>
            <TH>
              <span className="sr-only">Sign out</span>
            </TH>
          </TR>
        </THead>
        <TBody>
          {list.map((s) => (
            <TR key={s.id}>
              <TD className="whitespace-nowrap">{formatStamp(s.createdAt, tz)}</TD>
              <TD className="whitespace-nowrap">{formatStamp(s.lastSeenAt, tz)}</TD>
              <TD>{s.ipAddress ?? "—"}</TD>
              <TD className="max-w-md truncate text-xs text-gray-600">{s.userAgent ?? "—"}</TD>
              <TD>
                {s.id === member.sessionId ? (
                  <span className="text-xs text-gray-500">this session</span>
                ) : (
                  <RevokeSessionButton org={org} sessionId={s.id} label="Sign out" />
                )}
              </TD>
            </TR>
          ))}
        </TBody>
      </Table>
    </div>
  );
}
