import { BreakGlassForm } from "@/components/emergency/break-glass-form";
import { PageHeader } from "@/components/ui/page-header";
import { listEnvironments } from "@/db/repos/variables";
import { formatInZone } from "@/lib/format";
import { canUseEmergency } from "@/lib/policy";
import { requireMember } from "@/server/session";
import { valueAccess } from "@/server/values/value-access";

export const metadata = { title: "Break glass" };

export default async function EmergencyPage(props: PageProps<"/o/[org]/emergency">) {
  const { org } = await props.params;
  const member = await requireMember(org);
  const byRole = canUseEmergency(member.role);
  // Break glass: by role (the capabilities table's emergency:open), or through an emergency grant there.
  const [envs, access] = await Promise.all([
    listEnvironments(member),
    byRole ? Promise.resolve(null) : valueAccess(member, null),
  ]);
  const granted = access ? envs.filter((e) => access[e.id]?.emergency) : envs;
  const locked = granted.filter((e) => e.locked);
  return (
    <div className="space-y-6">
      <PageHeader
        title="Break glass"
        description="During wedding hours, protected environments are read-only. For a real emergency, open time-limited access to one of them: your changes apply at once, are flagged as emergency in the audit trail, and each waits for a security reviewer's acknowledgement."
      />
      {member.emergency ? (
        <p className="text-sm">
          You have emergency access to <strong>{member.emergency.environment}</strong> until{" "}
          {formatInZone(member.emergency.expiresAt, member.org.timeZone)}.
        </p>
      ) : granted.length === 0 ? (
        <p className="text-sm text-gray-600">
          Your role cannot break glass. Ask the on-call engineer or an admin (an access policy can grant
          emergency access).
        </p>
      ) : locked.length === 0 ? (
        <p className="text-sm text-gray-600">No environment is locked now: change it normally.</p>
      ) : (
        <BreakGlassForm org={org} environments={locked.map((e) => ({ id: e.id, name: e.name }))} />
      )}
    </div>
  );
}
