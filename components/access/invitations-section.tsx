import { Table, TBody, TD, TH, THead, TR } from "@/components/ui/table";
import { formatStamp } from "@/lib/format";
import type { Role } from "@/lib/roles";
import { InviteForm } from "./invite-form";
import { RevokeInvitationButton } from "./revoke-invitation-button";

type Pending = {
  id: string;
  email: string;
  role: string;
  invitedBy: string | null;
  createdAt: Date;
  expiresAt: Date;
};

/** Owners and admins: invite by link, and the invitations still waiting to be accepted. */
export function InvitationsSection({
  org,
  pending,
  roles,
  timeZone,
}: {
  org: string;
  pending: Pending[];
  roles: Role[];
  timeZone: string;
}) {
  return (
    <section aria-labelledby="invitations-heading" className="space-y-3">
      <h2 id="invitations-heading" className="text-lg font-semibold">
        Invitations
      </h2>
      <InviteForm org={org} roles={roles} timeZone={timeZone} />
      <h3 className="text-sm font-semibold text-gray-800">Pending ({pending.length})</h3>
      {pending.length === 0 ? (
        <p className="text-sm text-gray-600">No pending invitations.</p>
      ) : (
        <Table aria-label="Pending invitations">
          <THead>
            <TR>
              <TH>Email</TH>
              <TH>Role</TH>
              <TH>Invited by</TH>
              <TH>Expires</TH>
              <TH>
                <span className="sr-only">Revoke</span>
              </TH>
            </TR>
          </THead>
          <TBody>
            {pending.map((i) => (
              <TR key={i.id}>
                <TD>{i.email}</TD>
                <TD>{i.role.replace("_", " ")}</TD>
                <TD className="text-xs text-gray-600">
                  {i.invitedBy} · {formatStamp(i.createdAt, timeZone)}
                </TD>
                <TD>{formatStamp(i.expiresAt, timeZone)}</TD>
                <TD>
                  <RevokeInvitationButton org={org} id={i.id} email={i.email} />
                </TD>
              </TR>
            ))}
          </TBody>
        </Table>
      )}
    </section>
  );
}
