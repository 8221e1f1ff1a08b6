import "server-only";
import { and, asc, eq, isNull } from "drizzle-orm";
import type { Tx } from "@/db/client";
import {
  environments,
  environmentVariables,
  memberships,
  organizations,
  protectionBlackouts,
  protectionWindows,
  syncTargets,
  users,
  webhookEndpoints,
} from "@/db/schema";

/**
 * An organization's configuration for its export (issue 17), read in its context under row-level security:
 * what it is and how it is set up — never a value, a default value, a hash, a sealed secret or a key.
 */
export async function organizationConfiguration(tx: Tx, organizationId: string) {
  const [org] = await tx
    .select({
      slug: organizations.slug,
      name: organizations.name,
      timeZone: organizations.timeZone,
      maxTokenDays: organizations.maxTokenDays,
      createdAt: organizations.createdAt,
    })
    .from(organizations)
    .where(eq(organizations.id, organizationId));
  const envs = await tx
    .select({
      name: environments.name,
      displayName: environments.displayName,
      type: environments.environmentType,
      weddingDayProtection: environments.weddingDayProtection,
      isActive: environments.isActive,
    })
    .from(environments)
    .where(eq(environments.organizationId, organizationId))
    .orderBy(asc(environments.name));
  const variables = await tx
    .select({
      name: environmentVariables.name,
      displayName: environmentVariables.displayName,
      description: environmentVariables.description,
      type: environmentVariables.variableType,
      classification: environmentVariables.securityClassification,
      isRequired: environmentVariables.isRequired,
      isWeddingCritical: environmentVariables.isWeddingCritical,
      validationPattern: environmentVariables.validationPattern,
      rotationIntervalDays: environmentVariables.rotationIntervalDays,
      tags: environmentVariables.tags,
    })
    .from(environmentVariables)
    .where(
      and(eq(environmentVariables.organizationId, organizationId), isNull(environmentVariables.deletedAt)),
    )
    .orderBy(asc(environmentVariables.name));
  const members = await tx
    .select({ email: users.email, name: users.name, role: memberships.role, since: memberships.createdAt })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(eq(memberships.organizationId, organizationId))
    .orderBy(asc(users.email));
  const windows = await tx
    .select({
      label: protectionWindows.label,
      startDay: protectionWindows.startDay,
      startTime: protectionWindows.startTime,
      endDay: protectionWindows.endDay,
      endTime: protectionWindows.endTime,
    })
    .from(protectionWindows)
    .where(eq(protectionWindows.organizationId, organizationId));
  const blackouts = await tx
    .select({
      startsAt: protectionBlackouts.startsAt,
      endsAt: protectionBlackouts.endsAt,
      reason: protectionBlackouts.reason,
    })
    .from(protectionBlackouts)
    .where(eq(protectionBlackouts.organizationId, organizationId));
  const targets = await tx
    .select({
      name: syncTargets.name,
      environment: environments.name,
      kind: syncTargets.kind,
      location: syncTargets.location,
      autoPush: syncTargets.autoPush,
      scanIntervalMinutes: syncTargets.scanIntervalMinutes,
      isActive: syncTargets.isActive,
    })
    .from(syncTargets)
    .innerJoin(environments, eq(environments.id, syncTargets.environmentId))
    .where(eq(syncTargets.organizationId, organizationId))
    .orderBy(asc(syncTargets.name));
  const webhooks = await tx
    .select({
      url: webhookEndpoints.url,
      description: webhookEndpoints.description,
      events: webhookEndpoints.events,
    })
    .from(webhookEndpoints)
    .where(eq(webhookEndpoints.organizationId, organizationId))
    .orderBy(asc(webhookEndpoints.url));
  return {
    organization: org ?? null,
    environments: envs,
    variables,
    members,
    protection: { windows, blackouts },
    targets,
    webhooks,
  };
}
