import type { Metadata } from "next";
import { ConsoleShell } from "@/components/console/console-shell";
import { IntegrationAlert } from "@/components/console/integration-alert";
import { LiveUpdates } from "@/components/console/live-updates";
import { LockClock } from "@/components/console/lock-clock";
import { SignOutButton } from "@/components/console/sign-out-button";
import { WeddingBanner } from "@/components/console/wedding-banner";
import { EmergencyBanner } from "@/components/emergency/emergency-banner";
import { OrgSwitcher } from "@/components/organizations/org-switcher";
import { withContext, withReads } from "@/db/context";
import { decidableRequestCount } from "@/db/repos/change-requests";
import { openDriftCount } from "@/db/repos/drift";
import { openEmergencyReviewCount } from "@/db/repos/emergency";
import { organizationsIn } from "@/db/repos/memberships";
import { lockStatus } from "@/db/repos/protection";
import { canApprove } from "@/lib/approvals";
import { formatInZone } from "@/lib/format";
import { canUseEmergency } from "@/lib/policy";
import { checkOperator } from "@/server/ops/operators";
import { memberContext, requireMember } from "@/server/session";

/** Every console page's title names the page (its own metadata), then the organization, then the product. */
export async function generateMetadata(props: LayoutProps<"/o/[org]">): Promise<Metadata> {
  const { org } = await props.params;
  const name = (await memberContext(org))?.org.name ?? org;
  return { title: { default: name, template: `%s · ${name} — Ringbearer` } };
}

export default async function ConsoleLayout(props: LayoutProps<"/o/[org]">) {
  const { org } = await props.params;
  const member = await requireMember(org);
  const reviewer = canApprove(member.role);
  const [lock, reviews, requests, drift, operator, orgs] = await withReads(member, (r) =>
    Promise.all([
      lockStatus(r),
      reviewer ? openEmergencyReviewCount(r) : Promise.resolve(0),
      reviewer ? decidableRequestCount(r) : Promise.resolve(0),
      openDriftCount(r),
      checkOperator(r),
      withContext(r, (tx) => organizationsIn(tx, r.userId)),
    ]),
  );
  // The lock's end or the next lock's start, whichever comes first: the page refreshes itself then.
  const changes = [lock.until, lock.nextStart].filter((d): d is Date => d !== null).map((d) => d.getTime());
  const nextChange = changes.length > 0 ? Math.min(...changes) : null;
  return (
    <ConsoleShell
      orgSlug={org}
      orgName={member.org.name}
      waiting={{ reviews, requests }}
      drift={drift}
      userSlot={
        <div className="flex flex-wrap items-center justify-end gap-x-3 gap-y-1 text-sm">
          <OrgSwitcher current={org} orgs={orgs} />
          <span className="min-w-0 break-words">
            <span className="font-medium">{member.user.name}</span>{" "}
            <span className="text-gray-500">
              {member.user.email} · {member.role.replace("_", " ")}
            </span>
          </span>
          <a href={`/o/${org}/account`} className="text-indigo-700 hover:underline">
            Account &amp; sessions
          </a>
          {operator ? (
            <a href="/ops" className="text-indigo-700 hover:underline">
              Operations
            </a>
          ) : null}
          <SignOutButton />
        </div>
      }
      bannerSlot={
        member.emergency ? (
          <EmergencyBanner
            org={org}
            environment={member.emergency.environment}
            reason={member.emergency.reason}
            expiresAt={member.emergency.expiresAt.toISOString()}
            until={formatInZone(member.emergency.expiresAt, member.org.timeZone)}
          />
        ) : lock.until ? (
          <WeddingBanner
            lockedEnvironments={lock.lockedEnvironments}
            until={formatInZone(lock.until, lock.timeZone)}
            breakGlassHref={canUseEmergency(member.role) ? `/o/${org}/emergency` : undefined}
          />
        ) : null
      }
    >
      <LiveUpdates org={org} />
      <IntegrationAlert org={org} />
      {nextChange ? <LockClock changesInMs={nextChange - Date.now()} /> : null}
      {props.children}
    </ConsoleShell>
  );
}
