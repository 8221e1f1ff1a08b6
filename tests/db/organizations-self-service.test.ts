/**
 * Organizations self-service (issue 17) on a real PostgreSQL: sign-up (refused while the installation is
 * invitation-only) creates an account and the organization it owns, whole or not at all; the owner invites a
 * second signed-up user, who then belongs to two organizations and reads each only in its own context; a
 * signed-in user adds another organization; the owner renames it and hands it on (after a recent sign-in), and
 * nobody else may.
 */
import { eq } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type TenantContext, withContext } from "@/db/context";
import { organizationsFor } from "@/db/repos/memberships";
import { environments, environmentVariables, memberships, protectionWindows } from "@/db/schema";
import { AppError } from "@/lib/errors";
import { signUpInput } from "@/lib/validation/organizations";
import { acceptInvitation, createInvitation } from "@/server/access/invitations";
import {
  createOwnOrganization,
  renameOrganization,
  signUp,
  transferOwnership,
} from "@/server/organizations/self-service";
import { createVariable } from "@/server/variables/variables";
import { withSession } from "./session-fixture";
import { db, PASSWORD, rawSql, unique } from "./support";

const isCode = (code: string) => (e: unknown) => e instanceof AppError && e.code === code;
const request = { ip: "203.0.113.9", userAgent: "vitest" };
const form = (over: Record<string, string> = {}) =>
  signUpInput.parse({
    email: `${unique("founder")}@test.example`,
    name: "Founder",
    password: PASSWORD,
    confirm: PASSWORD,
    organization: "Bloom & Petal Florists",
    timeZone: "Europe/London",
    ...over,
  });

/** Signs up and returns the new owner's context. */
async function signUpOwner(over: Record<string, string> = {}) {
  const input = form(over);
  const { slug } = await signUp(db(), request, input);
  const su = rawSql("super");
  try {
    const [row] = await su<{ user_id: string; organization_id: string }[]>`
      select m.user_id, m.organization_id from memberships m join organizations o on o.id = m.organization_id
        join users u on u.id = m.user_id where o.slug = ${slug} and u.email = ${input.email}`;
    const ctx: TenantContext = { userId: row.user_id, organizationId: row.organization_id, role: "owner" };
    return { slug, email: input.email, ctx };
  } finally {
    await su.end();
  }
}

let previous: string | undefined;
beforeEach(() => {
  previous = process.env.RINGBEARER_SIGNUP;
  process.env.RINGBEARER_SIGNUP = "open";
});
afterEach(() => {
  if (previous === undefined) delete process.env.RINGBEARER_SIGNUP;
  else process.env.RINGBEARER_SIGNUP = previous;
});

describe("sign-up", () => {
  it("is refused while the installation is invitation-only, and creates nothing", async () => {
    process.env.RINGBEARER_SIGNUP = "invite";
    const input = form();
    await expect(signUp(db(), request, input)).rejects.toSatisfy(isCode("forbidden"));
    const su = rawSql("super");
    try {
      expect(await su`select 1 from users where email = ${input.email}`).toHaveLength(0);
    } finally {
      await su.end();
    }
  });

  it("creates the account and the organization it owns, ready to use", async () => {
    const { slug, ctx } = await signUpOwner();
    expect(slug).toMatch(/^bloom-petal-florists(-[0-9a-f]{4})?$/);
    const envs = await withContext(ctx, (tx) =>
      tx.select({ name: environments.name }).from(environments).orderBy(environments.name),
    );
    expect(envs.map((e) => e.name)).toEqual(["development", "production", "staging"]);
    const windows = await withContext(ctx, (tx) => tx.select().from(protectionWindows));
    expect(windows).toHaveLength(1);
    // A second organization of the same name gets its own URL name.
    const again = await signUpOwner();
    expect(again.slug).not.toBe(slug);
    expect(again.slug).toMatch(/^bloom-petal-florists(-[0-9a-f]{4})?$/);
  });

  it("refuses an email that has an account, and leaves no organization behind", async () => {
    const { email } = await signUpOwner();
    const name = unique("Orphan Check");
    const refused = await signUp(db(), request, form({ email, organization: name })).catch((e) => e);
    expect(refused).toSatisfy(isCode("conflict:exists"));
    expect(refused.fieldErrors?.email?.[0]).toMatch(/exists: sign in/);
    const su = rawSql("super");
    try {
      expect(await su`select 1 from organizations where name = ${name}`).toHaveLength(0);
    } finally {
      await su.end();
    }
  });
});

describe("two organizations, one person", () => {
  it("sign-up → own organization → invite → switch, each organization read only in its own context", async () => {
    const a = await signUpOwner({ organization: unique("Aisle Co") });
    const b = await signUpOwner({ organization: unique("Bouquet Ltd") });
    await withContext(a.ctx, (tx) =>
      createVariable(tx, a.ctx, {
        name: "AISLE_STRIPE_KEY",
        variableType: "api_key",
        securityClassification: "confidential",
        isRequired: false,
        isWeddingCritical: false,
        tags: [],
      }),
    );
    const { token } = await withContext(a.ctx, (tx) =>
      createInvitation(tx, a.ctx, { email: b.email, role: "developer" }),
    );
    expect(await acceptInvitation(db(), { ...request, userId: b.ctx.userId }, token)).toMatchObject({
      status: "accepted",
    });
    const orgs = (await organizationsFor(b.ctx.userId)).map((o) => o.slug).sort();
    expect(orgs).toEqual([a.slug, b.slug].sort());
    const names = (ctx: TenantContext) =>
      withContext(ctx, (tx) =>
        tx.select({ name: environmentVariables.name }).from(environmentVariables),
      ).then((r) => r.map((v) => v.name));
    // In their own organization B sees none of A's; switched to A, as a developer, they do.
    expect(await names(b.ctx)).not.toContain("AISLE_STRIPE_KEY");
    expect(await names({ ...b.ctx, organizationId: a.ctx.organizationId, role: "developer" })).toContain(
      "AISLE_STRIPE_KEY",
    );
    // A, who was never invited to B, reads nothing of it even by naming it.
    expect(await names({ ...a.ctx, organizationId: b.ctx.organizationId })).toEqual([]);
  });

  it("a signed-in user adds an organization they own", async () => {
    const a = await signUpOwner({ organization: unique("Canopy") });
    const { slug } = await createOwnOrganization(
      db(),
      { userId: a.ctx.userId },
      {
        organization: "Canopy Events North",
        timeZone: "UTC",
      },
    );
    expect(slug).toMatch(/^canopy-events-north/);
    const mine = await organizationsFor(a.ctx.userId);
    expect(mine.find((o) => o.slug === slug)).toBeTruthy();
  });
});

describe("the owner's organization", () => {
  it("is renamed by its owner only, audited", async () => {
    const a = await signUpOwner({ organization: unique("Garland") });
    const admin = { ...a.ctx, role: "admin" as const };
    await expect(
      withContext(admin, (tx) => renameOrganization(tx, admin, { name: "Nope" })),
    ).rejects.toSatisfy(isCode("forbidden"));
    await withContext(a.ctx, (tx) => renameOrganization(tx, a.ctx, { name: "Garland & Veil" }));
    const [org] = await organizationsFor(a.ctx.userId).then((o) => o.filter((x) => x.slug === a.slug));
    expect(org.name).toBe("Garland & Veil");
    const su = rawSql("super");
    try {
      const [audit] = await su<{ details: { name: string } }[]>`
        select change_details as details from environment_variable_audit where organization_id = ${a.ctx.organizationId}
           and resource_type = 'organization' and action = 'update'`;
      expect(audit.details.name).toBe("Garland & Veil");
    } finally {
      await su.end();
    }
  });

  it("is handed to another member after a recent sign-in: they own it, the owner becomes an admin", async () => {
    const a = await signUpOwner({ organization: unique("Tulle") });
    const b = await signUpOwner({ organization: unique("Lace") });
    const { token } = await withContext(a.ctx, (tx) =>
      createInvitation(tx, a.ctx, { email: b.email, role: "admin" }),
    );
    await acceptInvitation(db(), { ...request, userId: b.ctx.userId }, token);
    // Without a recent sign-in: refused, nothing changes.
    await expect(
      withContext(a.ctx, (tx) => transferOwnership(tx, a.ctx, { userId: b.ctx.userId })),
    ).rejects.toSatisfy(isCode("reauth_required"));
    const owner = await withSession(a.ctx);
    await expect(
      withContext(owner, (tx) => transferOwnership(tx, owner, { userId: owner.userId })),
    ).rejects.toSatisfy(isCode("validation"));
    await withContext(owner, (tx) => transferOwnership(tx, owner, { userId: b.ctx.userId }));
    const roles = await withContext(a.ctx, (tx) =>
      tx
        .select({ userId: memberships.userId, role: memberships.role })
        .from(memberships)
        .where(eq(memberships.organizationId, a.ctx.organizationId)),
    );
    expect(Object.fromEntries(roles.map((r) => [r.userId, r.role]))).toEqual({
      [a.ctx.userId]: "admin",
      [b.ctx.userId]: "owner",
    });
    // The former owner may no longer hand it on.
    const former = { ...owner, role: "admin" as const };
    await expect(
      withContext(former, (tx) => transferOwnership(tx, former, { userId: b.ctx.userId })),
    ).rejects.toSatisfy(isCode("forbidden"));
  });
});
