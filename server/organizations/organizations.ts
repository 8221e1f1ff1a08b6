import { randomUUID } from "node:crypto";
import type { Database, Tx } from "@/db/client";
import { withContext } from "@/db/context";
import { insertEnvironments } from "@/db/repos/environments";
import { insertMembership, insertOrganizationUnderFreeSlug } from "@/db/repos/organizations";
import { insertWindow } from "@/db/repos/settings";
import { createOrgKeys } from "@/db/vault";
import { AppError } from "@/lib/errors";
import type { Role } from "@/lib/roles";
import { writeAudit } from "@/server/audit/audit";

export const DEFAULT_ENVIRONMENTS = [
  {
    name: "development",
    displayName: "Development",
    environmentType: "development",
    weddingDayProtection: false,
  },
  {
    name: "staging",
    displayName: "Staging",
    environmentType: "staging",
    weddingDayProtection: false,
  },
  {
    name: "production",
    displayName: "Production",
    environmentType: "production",
    weddingDayProtection: true,
  },
] as const;

/**
 * Creates an organization with its owner, its keys, the seed's default wedding-hours window
 * (Friday 18:00 to the end of Sunday, in its time zone) and the three standard environments.
 */
export async function createOrganization(
  database: Database,
  input: { slug: string; name: string; timeZone: string; ownerId: string; defaultWindow?: boolean },
) {
  const organizationId = randomUUID();
  const ctx = { userId: input.ownerId, organizationId, role: "owner" as Role };
  await withContext(ctx, (tx) => createOrganizationIn(tx, organizationId, input), database);
  return { id: organizationId };
}

/**
 * The same in the caller's transaction, whose context is the owner in the new organization's id; with several
 * slugs, under the first one free (refused as taken when none is). Returns the slug.
 */
export async function createOrganizationIn(
  tx: Tx,
  organizationId: string,
  input: {
    slug: string | string[];
    name: string;
    timeZone: string;
    ownerId: string;
    defaultWindow?: boolean;
  },
) {
  const ctx = { userId: input.ownerId, organizationId, role: "owner" as Role };
  const row = { id: organizationId, name: input.name, timeZone: input.timeZone };
  const slugs = typeof input.slug === "string" ? [input.slug] : input.slug;
  const slug = await insertOrganizationUnderFreeSlug(tx, row, slugs);
  if (!slug) throw new AppError("conflict:exists", { organization: ["That name is taken: choose another"] });
  await insertMembership(tx, { organizationId, userId: input.ownerId, role: "owner" });
  await createOrgKeys(tx, organizationId);
  if (input.defaultWindow !== false) await addDefaultWindow(tx, organizationId, input.ownerId);
  await insertEnvironments(tx, organizationId, DEFAULT_ENVIRONMENTS);
  await writeAudit(tx, ctx, {
    action: "create",
    resourceType: "organization",
    resourceId: organizationId,
    details: { slug },
  });
  return slug;
}

/** The seed's wedding hours: Friday 18:00 to the end of Sunday in the organization's time zone. */
export async function addDefaultWindow(tx: Tx, organizationId: string, userId: string) {
  await insertWindow(tx, {
    organizationId,
    label: "Wedding weekend",
    startDay: 5,
    startTime: "18:00",
    endDay: 7,
    endTime: "24:00:00",
    createdBy: userId,
  });
}

export async function addMember(
  database: Database,
  actorId: string,
  organizationId: string,
  userId: string,
  role: Role,
) {
  await withContext(
    { userId: actorId, organizationId },
    async (tx) => {
      await insertMembership(tx, { organizationId, userId, role });
      await writeAudit(
        tx,
        { userId: actorId, organizationId },
        {
          action: "create",
          resourceType: "member",
          resourceId: userId,
          details: { role },
        },
      );
    },
    database,
  );
}
