import "server-only";
import { asc, eq, sql } from "drizzle-orm";
import type { Tx } from "@/db/client";
import { auditDetails } from "@/db/repos/audit";
import {
  environments,
  environmentVariableAudit,
  environmentVariables,
  memberships,
  organizations,
  sessions,
  users,
} from "@/db/schema";

/**
 * A person's own data (GDPR access, issue 17), read under row-level security as themselves: their profile and
 * sessions in their own context, and — in each organization's context in turn — their membership and the audit
 * entries that name them. Never a value, a hash of one, a password hash or a second-factor secret.
 */
export async function profileOf(tx: Tx, userId: string) {
  const [row] = await tx
    .select({
      id: users.id,
      email: users.email,
      name: users.name,
      createdAt: users.createdAt,
      twoFactorSince: users.totpEnabledAt,
      disabledAt: users.disabledAt,
    })
    .from(users)
    .where(eq(users.id, userId));
  return row ?? null;
}

export async function sessionsOf(tx: Tx, userId: string) {
  return tx
    .select({
      id: sessions.id,
      createdAt: sessions.createdAt,
      lastSeenAt: sessions.lastSeenAt,
      expiresAt: sessions.expiresAt,
      revokedAt: sessions.revokedAt,
      twoFactor: sessions.mfa,
      ipAddress: sql<string | null>`host(${sessions.ipAddress})`,
      userAgent: sessions.userAgent,
    })
    .from(sessions)
    .where(eq(sessions.userId, userId))
    .orderBy(asc(sessions.createdAt));
}

/** The organizations the person belongs to, by id (their own memberships are visible to them anywhere). */
export async function organizationIdsOf(tx: Tx, userId: string) {
  const rows = await tx
    .select({ id: memberships.organizationId })
    .from(memberships)
    .where(eq(memberships.userId, userId));
  return rows.map((r) => r.id);
}

/** In the organization's context: the person's membership there. */
export async function membershipIn(tx: Tx, organizationId: string, userId: string) {
  const [row] = await tx
    .select({
      organization: organizations.slug,
      organizationName: organizations.name,
      role: memberships.role,
      since: memberships.createdAt,
    })
    .from(memberships)
    .innerJoin(organizations, eq(organizations.id, memberships.organizationId))
    .where(sql`${memberships.organizationId} = ${organizationId} and ${memberships.userId} = ${userId}`);
  return row ?? null;
}

/** In the organization's context: the audit entries the person's actions wrote, oldest first. */
export async function auditEntriesOf(tx: Tx, organizationId: string, userId: string) {
  return tx
    .select({
      at: environmentVariableAudit.createdAt,
      action: environmentVariableAudit.action,
      resourceType: environmentVariableAudit.resourceType,
      resourceId: environmentVariableAudit.resourceId,
      variable: environmentVariables.name,
      environment: environments.name,
      details: auditDetails,
      riskLevel: environmentVariableAudit.riskLevel,
      emergency: environmentVariableAudit.emergency,
      success: environmentVariableAudit.success,
      ipAddress: sql<string | null>`host(${environmentVariableAudit.ipAddress})`,
      userAgent: environmentVariableAudit.userAgent,
    })
    .from(environmentVariableAudit)
    .leftJoin(environmentVariables, eq(environmentVariables.id, environmentVariableAudit.variableId))
    .leftJoin(environments, eq(environments.id, environmentVariableAudit.environmentId))
    .where(
      sql`${environmentVariableAudit.organizationId} = ${organizationId} and ${environmentVariableAudit.userId} = ${userId}`,
    )
    .orderBy(asc(environmentVariableAudit.seq));
}
