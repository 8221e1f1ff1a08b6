import { randomBytes, randomUUID } from "node:crypto";
import { hash } from "@node-rs/argon2";
import type { Database, Tx } from "@/db/client";
import { type RequestContext, type TenantContext, withContext } from "@/db/context";
import { memberRole, updateMemberRole, updateOrganizationName } from "@/db/repos/organizations";
import { insertUserUnlessEmailTaken } from "@/db/repos/users";
import { AppError } from "@/lib/errors";
import { signupMode, slugFromName } from "@/lib/organizations";
import type { SignUpInput } from "@/lib/validation/organizations";
import { writeAudit } from "@/server/audit/audit";
import { requireRecentAuth } from "@/server/auth/step-up";
import { ARGON2_OPTIONS } from "@/server/auth/users";
import { requireCapability } from "@/server/authz";
import { createOrganizationIn } from "./organizations";

/**
 * Organizations self-service (issue 17): open sign-up creates an account and the organization it owns in one
 * transaction; a signed-in user adds more organizations; an owner renames one or hands it to another member.
 */

/** The URL names tried for a new organization: its name's, then the same with a random suffix. */
const slugsFor = (name: string) => {
  const base = slugFromName(name);
  return [base, ...[1, 2, 3].map(() => `${base}-${randomBytes(2).toString("hex")}`)];
};

export const SIGNUP_CLOSED =
  "Sign-up is by invitation on this installation: ask an admin of your organization to invite you.";

/** Open sign-up: the account and its organization, or nothing (one transaction). */
export async function signUp(
  database: Database,
  request: Omit<RequestContext, "userId" | "organizationId">,
  input: SignUpInput,
) {
  if (signupMode() !== "open") throw new AppError("forbidden", { form: [SIGNUP_CLOSED] });
  const passwordHash = await hash(input.password, ARGON2_OPTIONS);
  const userId = randomUUID();
  const organizationId = randomUUID();
  return withContext(
    { ...request, userId, organizationId },
    async (tx) => {
      const created = await insertUserUnlessEmailTaken(tx, {
        id: userId,
        email: input.email,
        name: input.name,
        passwordHash,
      });
      if (!created)
        throw new AppError("conflict:exists", {
          email: ["An account with this email exists: sign in, then add an organization from the header."],
        });
      const slug = await createOrganizationIn(tx, organizationId, {
        slug: slugsFor(input.organization),
        name: input.organization,
        timeZone: input.timeZone,
        ownerId: userId,
      });
      return { slug, email: input.email };
    },
    database,
  );
}

/** A signed-in user adds an organization they own. */
export async function createOwnOrganization(
  database: Database,
  ctx: RequestContext,
  input: { organization: string; timeZone: string },
) {
  const organizationId = randomUUID();
  const slug = await withContext(
    { ...ctx, organizationId },
    (tx) =>
      createOrganizationIn(tx, organizationId, {
        slug: slugsFor(input.organization),
        name: input.organization,
        timeZone: input.timeZone,
        ownerId: ctx.userId,
      }),
    database,
  );
  return { slug };
}

/** The owner renames the organization (its display name; the URL stays). Audited. */
export async function renameOrganization(tx: Tx, ctx: TenantContext, input: { name: string }) {
  requireCapability(ctx, "organization:manage");
  if (!(await updateOrganizationName(tx, ctx.organizationId, input.name))) throw new AppError("not_found");
  await writeAudit(tx, ctx, {
    action: "update",
    resourceType: "organization",
    resourceId: ctx.organizationId,
    details: { name: input.name },
  });
  return { name: input.name };
}

/**
 * The owner hands the organization to another member, after signing in again recently: they become its owner,
 * the caller an admin. One transaction, audited.
 */
export async function transferOwnership(tx: Tx, ctx: TenantContext, input: { userId: string }) {
  requireCapability(ctx, "organization:manage");
  await requireRecentAuth(tx, ctx);
  if (input.userId === ctx.userId)
    throw new AppError("validation", { userId: ["Choose another member: you own it already"] });
  const role = await memberRole(tx, ctx.organizationId, input.userId);
  if (!role) throw new AppError("validation", { userId: ["Choose a member of the organization"] });
  await updateMemberRole(tx, ctx.organizationId, input.userId, "owner");
  await updateMemberRole(tx, ctx.organizationId, ctx.userId, "admin");
  await writeAudit(tx, ctx, {
    action: "update",
    resourceType: "member",
    resourceId: input.userId,
    details: { role: "owner", previous_role: role, transferred_from: ctx.userId },
  });
  return { userId: input.userId };
}
