import { randomBytes } from "node:crypto";
import { eq, sql } from "drizzle-orm";
import postgres from "postgres";
import { inject } from "vitest";
import { getDb } from "@/db/client";
import { type TenantContext, withContext } from "@/db/context";
import { environments, protectionBlackouts } from "@/db/schema";
import type { Role } from "@/lib/roles";
import { approveChangeRequest } from "@/server/approvals/change-requests";
import { createUser } from "@/server/auth/users";
import { addMember, createOrganization } from "@/server/organizations/organizations";
import { setValue, type ValueChange } from "@/server/values/values";
import { createVariable } from "@/server/variables/variables";

export const db = () => getDb();
export const PASSWORD = "correct horse battery staple";

/** A raw connection as the owner or the superuser, for what the app role must not be able to do. */
export function rawSql(who: "owner" | "super" | "app") {
  const url =
    who === "owner" ? inject("ownerUrl") : who === "super" ? inject("superUrl") : inject("databaseUrl");
  return postgres(url, { max: 1, onnotice: () => {} });
}

export const unique = (prefix: string) => `${prefix}-${randomBytes(4).toString("hex")}`;

export type TestOrg = {
  id: string;
  slug: string;
  owner: TenantContext;
  env: Record<"development" | "staging" | "production", string>;
  /** A new member with this role (signs in with its email and PASSWORD). */
  member: (role: Role) => Promise<TenantContext & { email: string }>;
};

/** A fresh organization with an owner, the three standard environments and no wedding-hours window. */
export async function makeOrg(): Promise<TestOrg> {
  const owner = await createUser(db(), {
    email: `${unique("owner")}@test.example`,
    name: "Owner",
    password: PASSWORD,
  });
  const slug = unique("org");
  const org = await createOrganization(db(), {
    slug,
    name: slug,
    timeZone: "UTC",
    ownerId: owner.id,
    defaultWindow: false,
  });
  const ctx: TenantContext = { userId: owner.id, organizationId: org.id, role: "owner" };
  const envs = await withContext(ctx, (tx) =>
    tx
      .select({ id: environments.id, name: environments.name })
      .from(environments)
      .where(eq(environments.organizationId, org.id)),
  );
  const env = Object.fromEntries(envs.map((e) => [e.name, e.id])) as TestOrg["env"];
  return {
    id: org.id,
    slug,
    owner: ctx,
    env,
    member: async (role: Role) => {
      const email = `${unique(role)}@test.example`;
      const u = await createUser(db(), { email, name: role, password: PASSWORD });
      await addMember(db(), owner.id, org.id, u.id, role);
      return { userId: u.id, organizationId: org.id, role, email };
    },
  };
}

/**
 * An ISO weekday (1 Monday … 7 Sunday) three days from today (UTC): a weekly window on it is not in force while a
 * test runs, in any organization's time zone. (A fixed day failed once a week, at that hour.)
 */
export const dayAfterNext = () => ((new Date().getUTCDay() + 3 + 6) % 7) + 1;

/** Puts the organization in wedding hours now, with a blackout that ends in an hour. */
export async function startWeddingHours(org: TestOrg) {
  await withContext(org.owner, (tx) =>
    tx.insert(protectionBlackouts).values({
      organizationId: org.id,
      startsAt: sql`now() - interval '1 minute'`,
      endsAt: sql`now() + interval '1 hour'`,
      reason: "Test wedding",
    }),
  );
}

/** The database's own message behind Drizzle's "Failed query" wrapper. */
export function dbMessage(error: unknown): string {
  const e = error as { message?: string; cause?: { message?: string } };
  return `${e?.message ?? ""} ${e?.cause?.message ?? ""}`;
}

export async function expectDbError(promise: Promise<unknown>, pattern: RegExp) {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  if (!error) throw new Error(`expected the database to refuse (${pattern})`);
  if (!pattern.test(dbMessage(error))) throw new Error(`expected ${pattern}, got: ${dbMessage(error)}`);
}

/** The change applied at once (it did not wait for approval): its new version and hash. */
export function applied(change: ValueChange) {
  if (change.status !== "applied")
    throw new Error(`expected the change to apply; it waits for approval (${change.riskLevel})`);
  return change;
}

/** A security reviewer of the organization (created once per organization) approves a change request. */
export async function approveAs<C extends { status: string } | ValueChange>(org: TestOrg, change: C) {
  if (change.status !== "requested" || !("requestId" in change)) return change;
  if (!reviewers[org.id]) reviewers[org.id] = await org.member("security_reviewer");
  const reviewer = reviewers[org.id];
  const decision = await withContext(reviewer, (tx) =>
    approveChangeRequest(tx, reviewer, { id: change.requestId }),
  );
  if (decision.status !== "approved") throw new Error(`expected approval, got ${decision.status}`);
  return change;
}
const reviewers: Record<string, TenantContext> = {};

/** A required secret with a production value, set by the owner (approved when that needs a reviewer). */
export async function productionSecret(
  org: TestOrg,
  opts: {
    name: string;
    classification: "confidential" | "wedding_day_critical";
    value: string;
    note: string;
  },
) {
  const { id } = await withContext(org.owner, (tx) =>
    createVariable(tx, org.owner, {
      name: opts.name,
      variableType: "secret",
      securityClassification: opts.classification,
      isRequired: true,
      isWeddingCritical: opts.classification === "wedding_day_critical",
      tags: [],
    }),
  );
  await approveAs(
    org,
    await withContext(org.owner, (tx) =>
      setValue(tx, org.owner, {
        variableId: id,
        environmentId: org.env.production,
        value: opts.value,
        expectedVersion: 0,
        note: opts.note,
      }),
    ),
  );
  return id;
}
