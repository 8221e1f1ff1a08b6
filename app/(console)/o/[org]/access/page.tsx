import { GrantForm } from "@/components/access/grant-form";
import { InvitationsSection } from "@/components/access/invitations-section";
import { MemberRowActions } from "@/components/access/member-row-actions";
import { RevokeButton } from "@/components/access/revoke-button";
import { Badge } from "@/components/ui/badge";
import { PageHeader } from "@/components/ui/page-header";
import { Table, TBody, TD, TH, THead, TR } from "@/components/ui/table";
import { withReads } from "@/db/context";
import { listMembers, listPolicies } from "@/db/repos/access";
import { listPendingInvitations } from "@/db/repos/invitations";
import { matrixEnvironments } from "@/db/repos/matrix";
import { formatLastDay, formatStamp } from "@/lib/format";
import { canInviteAs } from "@/lib/invitations";
import { can } from "@/lib/policy";
import { ROLES } from "@/lib/roles";
import { searchText } from "@/lib/search-params";
import { describeTimeRestriction, isUnrestricted } from "@/lib/time-restrictions";
import { effectiveAccess } from "@/server/access/access-reads";
import { requireMember } from "@/server/session";

export const metadata = { title: "Access" };

export default async function AccessPage(props: PageProps<"/o/[org]/access">) {
  const { org } = await props.params;
  const sp = await props.searchParams;
  const member = await requireMember(org);
  const manage = can(member.role, "members:manage");
  const who =
    (typeof sp.user === "string" && sp.user.length <= 320 && searchText(sp.user, 320)) || member.user.email;
  const [policies, members, envs, effective, invitations] = await withReads(member, (r) =>
    Promise.all([
      listPolicies(r),
      listMembers(r),
      matrixEnvironments(r),
      manage || who === member.user.email ? effectiveAccess(r, who) : Promise.resolve(null),
      manage ? listPendingInvitations(r) : Promise.resolve([]),
    ]),
  );
  const tz = member.org.timeZone;
  return (
    <div className="space-y-8">
      <PageHeader
        title="Access"
        description="Each role has a baseline per environment type; access policies raise it for a user or a role, over all variables, one variable or a tag, in some environments, on some days and hours, until an expiry. Enforced by the actions and by row-level security."
      />
      <section aria-labelledby="effective-heading" className="space-y-3">
        <h2 id="effective-heading" className="text-lg font-semibold">
          Effective access
        </h2>
        {manage ? (
          <form method="get" className="flex items-end gap-3" aria-label="Choose member">
            <div className="flex flex-col gap-1 text-sm">
              <label className="font-medium" htmlFor="access-user">
                Member
              </label>
              <select
                id="access-user"
                name="user"
                defaultValue={who}
                className="rounded-md border border-gray-300 bg-white px-2.5 py-1.5 text-sm"
              >
                {members.map((m) => (
                  <option key={m.userId} value={m.email}>
                    {m.email} ({m.role.replace("_", " ")})
                  </option>
                ))}
              </select>
            </div>
            <button
              type="submit"
              className="rounded-md border border-gray-300 bg-white px-3 py-1.5 text-sm font-medium"
            >
              Show
            </button>
          </form>
        ) : null}
        {effective ? (
          <>
            <Table aria-label="Effective access">
              <THead>
                <TR>
                  <TH>Environment</TH>
                  <TH>Values</TH>
                  <TH>Why</TH>
                </TR>
              </THead>
              <TBody>
                {effective.environments.map((e) => (
                  <TR key={e.name}>
                    <TD className="font-mono">{e.name}</TD>
                    <TD>
                      <PermissionBadge permission={e.permission} emergency={e.emergency} />
                    </TD>
                    <TD className="text-gray-600">{e.reasons.join("; ")}</TD>
                  </TR>
                ))}
              </TBody>
            </Table>
            {effective.variables.length > 0 ? (
              <Table aria-label="Access to single variables">
                <THead>
                  <TR>
                    <TH>Variable</TH>
                    <TH>Environment</TH>
                    <TH>Values</TH>
                    <TH>Why</TH>
                  </TR>
                </THead>
                <TBody>
                  {effective.variables.map((v) => (
                    <TR key={`${v.variable}-${v.environment}`}>
                      <TD className="font-mono">{v.variable}</TD>
                      <TD className="font-mono">{v.environment}</TD>
                      <TD>
                        <PermissionBadge permission={v.permission} emergency={v.emergency} />
                      </TD>
                      <TD className="text-gray-600">{v.reasons.join("; ")}</TD>
                    </TR>
                  ))}
                </TBody>
              </Table>
            ) : effective.scoped > 0 ? (
              <p className="text-sm text-gray-600">
                Plus {effective.scoped} grant(s) scoped to one variable or a tag, which give no more than the
                table above (or reach no variable yet).
              </p>
            ) : null}
          </>
        ) : (
          <p className="text-sm text-gray-600">No member with that email.</p>
        )}
      </section>
      <section aria-labelledby="policies-heading" className="space-y-3">
        <h2 id="policies-heading" className="text-lg font-semibold">
          Access policies ({policies.length})
        </h2>
        {policies.length === 0 ? (
          <p className="text-sm text-gray-600">None: every member has their role's baseline.</p>
        ) : (
          <Table aria-label="Access policies">
            <THead>
              <TR>
                <TH>To</TH>
                <TH>Permission</TH>
                <TH>Over</TH>
                <TH>Environments</TH>
                <TH>When</TH>
                <TH>Expires</TH>
                <TH>Granted</TH>
                {manage ? (
                  <TH>
                    <span className="sr-only">Revoke</span>
                  </TH>
                ) : null}
              </TR>
            </THead>
            <TBody>
              {policies.map((p) => {
                const to = p.user ?? `role ${p.role?.replace("_", " ")}`;
                return (
                  <TR key={p.id}>
                    <TD>{to}</TD>
                    <TD>{p.permission}</TD>
                    <TD className="font-mono text-xs">
                      {p.variable ?? (p.tag ? `#${p.tag}` : "all variables")}
                    </TD>
                    <TD>{p.environments?.join(", ") ?? "all"}</TD>
                    <TD>
                      {isUnrestricted(p.timeRestriction)
                        ? "always"
                        : `${describeTimeRestriction(p.timeRestriction)} ${tz}`}
                    </TD>
                    <TD>{p.expiresAt ? formatLastDay(p.expiresAt, tz) : "never"}</TD>
                    <TD className="text-xs text-gray-600">
                      {p.grantedBy} · {formatStamp(p.grantedAt, tz)}
                    </TD>
                    {manage ? (
                      <TD>
                        <RevokeButton
                          org={org}
                          id={p.id}
                          version={p.version}
                          label={`${p.permission} for ${to}`}
                        />
                      </TD>
                    ) : null}
                  </TR>
                );
              })}
            </TBody>
          </Table>
        )}
      </section>
      <section aria-labelledby="members-heading" className="space-y-3">
        <h2 id="members-heading" className="text-lg font-semibold">
          Members ({members.length})
        </h2>
        <Table aria-label="Members">
          <THead>
            <TR>
              <TH>Member</TH>
              <TH>Role</TH>
              {manage ? (
                <TH>
                  <span className="sr-only">Actions</span>
                </TH>
              ) : null}
            </TR>
          </THead>
          <TBody>
            {members.map((m) => (
              <TR key={m.userId}>
                <TD>
                  {m.name} <span className="text-gray-500">{m.email}</span>
                </TD>
                <TD>{m.role.replace("_", " ")}</TD>
                {manage ? (
                  <TD>
                    {m.userId === member.userId ? (
                      <span className="text-xs text-gray-500">you</span>
                    ) : (
                      <MemberRowActions org={org} userId={m.userId} email={m.email} role={m.role} />
                    )}
                  </TD>
                ) : null}
              </TR>
            ))}
          </TBody>
        </Table>
      </section>
      {manage ? (
        <InvitationsSection
          org={org}
          pending={invitations}
          roles={ROLES.filter((r) => canInviteAs(member.role, r))}
          timeZone={tz}
        />
      ) : null}
      {manage ? (
        <section aria-labelledby="grant-heading" className="space-y-3">
          <h2 id="grant-heading" className="text-lg font-semibold">
            Grant access
          </h2>
          <GrantForm org={org} environments={envs.map((e) => e.name)} timeZone={tz} />
        </section>
      ) : null}
    </div>
  );
}

/** A permission (none, read, write) and whether break-glass gives it. */
function PermissionBadge({ permission, emergency }: { permission: string; emergency?: boolean }) {
  return (
    <>
      <Badge tone={permission === "none" ? "neutral" : permission === "read" ? "indigo" : "green"}>
        {permission}
      </Badge>
      {emergency ? (
        <span className="ml-1">
          <Badge tone="red">emergency</Badge>
        </span>
      ) : null}
    </>
  );
}
