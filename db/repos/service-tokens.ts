import { and, desc, eq, isNull, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import type { Database, Tx } from "@/db/client";
import { type TenantContext, withContext } from "@/db/context";
import { environments, serviceTokens, users } from "@/db/schema";
import { MAX_TOKEN_DAYS } from "@/lib/service-tokens";
import { byTier } from "./environment-order";
import { organizationMaxTokenDays } from "./organizations";

/** Service tokens (issue 14): SQL only. The caller hashes the token (db/vault.ts) and decides. */

export type ServiceTokenInsert = typeof serviceTokens.$inferInsert;

/** Inserts a token row (in the caller's tenant transaction): its id. */
export async function insertServiceToken(tx: Tx, values: ServiceTokenInsert) {
  const [row] = await tx.insert(serviceTokens).values(values).returning({ id: serviceTokens.id });
  return row;
}

/** Whether a live token of the current organization has this id. */
export async function serviceTokenExists(tx: Tx, id: string): Promise<boolean> {
  const [row] = await tx
    .select({ id: serviceTokens.id })
    .from(serviceTokens)
    .where(and(eq(serviceTokens.id, id), isNull(serviceTokens.revokedAt)));
  return row !== undefined;
}

/**
 * Revokes a live token of the current organization (only a personal token of `personalOf` when given): its id and
 * name, or undefined (none, or revoked).
 */
export async function revokeServiceTokenRow(tx: Tx, id: string, userId: string, personalOf?: string) {
  const [row] = await tx
    .update(serviceTokens)
    .set({ revokedAt: new Date(), revokedBy: userId })
    .where(
      and(
        eq(serviceTokens.id, id),
        isNull(serviceTokens.revokedAt),
        personalOf
          ? and(eq(serviceTokens.createdBy, personalOf), eq(serviceTokens.kind, "personal"))
          : undefined,
      ),
    )
    .returning({ id: serviceTokens.id, name: serviceTokens.name });
  return row;
}

export type PresentedToken = {
  id: string;
  organization_id: string;
  environment_ids: string[];
  access: string;
  name_prefix: string | null;
  tag: string | null;
  allowed_cidrs: string[];
  expires_at: Date;
  revoked_at: Date | null;
  created_by: string;
  /** The creator's role in the token's organization today; null once they have left it. */
  creator_role: string | null;
};

/** The token with this keyed hash, read before any tenant context (service_token_by_hash, 0027), or undefined. */
export async function serviceTokenByHash(db: Database | Tx, hash: string) {
  const [row] = await db.execute<PresentedToken>(sql`select * from service_token_by_hash(${hash})`);
  return row;
}

/** Counts one use of a token: when and from where (the app role may update only these columns). */
export async function recordTokenUse(tx: Tx, id: string, from: string | null) {
  await tx
    .update(serviceTokens)
    .set({ useCount: sql`${serviceTokens.useCount} + 1`, lastUsedAt: new Date(), lastUsedFrom: from })
    .where(eq(serviceTokens.id, id));
}

const creator = alias(users, "creator");
const revoker = alias(users, "revoker");

/**
 * The organization's tokens, newest first: scope (environment names in the console's order), use and state;
 * never the hash.
 */
export async function listServiceTokens(ctx: TenantContext, only: { personalOf?: string } = {}) {
  return withContext(ctx, (tx) =>
    tx
      .select({
        id: serviceTokens.id,
        name: serviceTokens.name,
        hint: serviceTokens.hint,
        environments: sql<string[]>`array(${tx
          .select({ name: environments.name })
          .from(environments)
          .where(sql`${environments.id} = any(${serviceTokens.environmentIds})`)
          .orderBy(...byTier)})`,
        access: serviceTokens.access,
        namePrefix: serviceTokens.namePrefix,
        tag: serviceTokens.tag,
        allowedCidrs: serviceTokens.allowedCidrs,
        expiresAt: serviceTokens.expiresAt,
        createdAt: serviceTokens.createdAt,
        createdBy: creator.email,
        revokedAt: serviceTokens.revokedAt,
        revokedBy: revoker.email,
        lastUsedAt: serviceTokens.lastUsedAt,
        lastUsedFrom: serviceTokens.lastUsedFrom,
        useCount: serviceTokens.useCount,
      })
      .from(serviceTokens)
      .innerJoin(creator, eq(creator.id, serviceTokens.createdBy))
      .leftJoin(revoker, eq(revoker.id, serviceTokens.revokedBy))
      .where(
        and(
          eq(serviceTokens.organizationId, ctx.organizationId),
          only.personalOf
            ? and(eq(serviceTokens.createdBy, only.personalOf), eq(serviceTokens.kind, "personal"))
            : undefined,
        ),
      )
      .orderBy(desc(serviceTokens.createdAt))
      .limit(500),
  );
}

export type ServiceTokenRow = Awaited<ReturnType<typeof listServiceTokens>>[number];

/** The longest a new token of the caller's organization may live, in days. */
export async function tokenLifetime(ctx: TenantContext): Promise<number> {
  return withContext(
    ctx,
    async (tx) => (await organizationMaxTokenDays(tx, ctx.organizationId)) ?? MAX_TOKEN_DAYS,
  );
}
