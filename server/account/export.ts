import { withContext } from "@/db/context";
import {
  auditEntriesOf,
  membershipIn,
  organizationIdsOf,
  profileOf,
  sessionsOf,
} from "@/db/repos/account-export";
import { AppError } from "@/lib/errors";

/** What a person's export holds (docs/security.md, "Your own data"): the format's version comes first. */
export const ACCOUNT_EXPORT_FORMAT = "ringbearer.account-export/1";

/**
 * A person's own data as one JSON document (GDPR access, issue 17): their profile, sessions, memberships and,
 * per organization, the audit entries their actions wrote — each read as themselves under row-level security,
 * one transaction per organization. Names and metadata only: never a value or a hash of one.
 */
export async function exportMyData(userId: string, now = new Date()) {
  const mine = await withContext({ userId }, async (tx) => ({
    profile: await profileOf(tx, userId),
    sessions: await sessionsOf(tx, userId),
    organizationIds: await organizationIdsOf(tx, userId),
  }));
  if (!mine.profile) throw new AppError("unauthorized");
  const organizations = [];
  for (const organizationId of mine.organizationIds) {
    const entry = await withContext({ userId, organizationId }, async (tx) => ({
      membership: await membershipIn(tx, organizationId, userId),
      audit: await auditEntriesOf(tx, organizationId, userId),
    }));
    if (entry.membership) organizations.push({ ...entry.membership, audit: entry.audit });
  }
  organizations.sort((a, b) => a.organization.localeCompare(b.organization));
  return {
    format: ACCOUNT_EXPORT_FORMAT,
    exportedAt: now.toISOString(),
    profile: mine.profile,
    sessions: mine.sessions,
    organizations,
  };
}
