import { AccountData } from "@/components/account/account-data";
import { RevokeSessionButton } from "@/components/account/revoke-session-button";
import { TotpDisable } from "@/components/account/totp-disable";
import { TotpEnrol } from "@/components/account/totp-enrol";
import { Badge } from "@/components/ui/badge";
import { Card } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { Table, TBody, TD, TH, THead, TR } from "@/components/ui/table";
import { getDb } from "@/db/client";
import { withContext } from "@/db/context";
import { formatStamp } from "@/lib/format";
import { mfaStatus } from "@/server/auth/mfa";
import { mySessions } from "@/server/auth/sessions";
import { requireMember } from "@/server/session";

export const metadata = { title: "Account & sessions" };

export default async function AccountPage(props: PageProps<"/o/[org]/account">) {
  const { org } = await props.params;
  const member = await requireMember(org);
  const [list, mfa] = await Promise.all([
    withContext({ userId: member.userId }, (tx) => mySessions(tx, member.userId)),
    mfaStatus(getDb(), member.userId),
  ]);
  const tz = member.org.timeZone;
  return (
    <div className="space-y-8">
      <PageHeader
        title="Your account"
        description="How you sign in, and where you are signed in. A session ends after 30 minutes without use or 12 hours in all."
      />
      <Card>
        <section className="space-y-4 p-4" aria-labelledby="mfa-title">
          <div className="flex flex-wrap items-center gap-3">
            <h2 id="mfa-title" className="text-lg font-semibold">
              Two-factor authentication
            </h2>
            {mfa.enabled ? <Badge tone="green">On</Badge> : <Badge>Off</Badge>}
          </div>
          {mfa.enabled && mfa.enabledAt ? (
            <>
              <p className="text-sm text-gray-700">
                On since {formatStamp(mfa.enabledAt, tz)}. Signing in asks for a code from your authenticator
                app; each code works once.
              </p>
              <TotpDisable />
            </>
          ) : (
            <>
              <p className="text-sm text-gray-700">
                Add a second step to signing in: a 6-digit code from an authenticator app on your phone, so a
                stolen password alone cannot open the console.
              </p>
              <TotpEnrol />
            </>
          )}
        </section>
      </Card>
      <AccountData />
      <section className="space-y-4" aria-labelledby="sessions-title">
        <div className="flex flex-wrap items-center justify-between gap-4">
          <h2 id="sessions-title" className="text-lg font-semibold">
            Your sessions
          </h2>
          {list.length > 1 ? <RevokeSessionButton org={org} label="Sign out all other sessions" /> : null}
        </div>
        <p className="text-sm text-gray-600">Sign out any session you do not recognise.</p>
        <Table aria-label="Your sessions">
          <THead>
            <TR>
              <TH>Signed in</TH>
              <TH>Last used</TH>
              <TH>From</TH>
              <TH>Browser</TH>
              <TH>Two-factor</TH>
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
                <TD>{s.mfa ? <Badge tone="green">code verified</Badge> : <span>password only</span>}</TD>
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
      </section>
    </div>
  );
}
