/**
 * An organization of its own installation (a throwaway database, not the suite's), with one secret value set in
 * staging under the master key the process holds now: the master-key rotation tests each make a few and read
 * them back after the keys changed.
 */
import { randomBytes } from "node:crypto";
import { eq } from "drizzle-orm";
import type { Database, Tx } from "@/db/client";
import { type TenantContext, withContext } from "@/db/context";
import { environments } from "@/db/schema";
import { createUser } from "@/server/auth/users";
import { createOrganization } from "@/server/organizations/organizations";
import { revealValue, setValue } from "@/server/values/values";
import { createVariable } from "@/server/variables/variables";

export type OrganizationWithValue = {
  ctx: TenantContext;
  variableId: string;
  environmentId: string;
  value: string;
  /** The value as a person reads it (the audited reveal), through the given database. */
  read: (db: Database) => Promise<string>;
};

export async function organizationWithValue(
  database: Database,
  slug: string,
): Promise<OrganizationWithValue> {
  const owner = await createUser(database, {
    email: `${slug}-${randomBytes(3).toString("hex")}@test.example`,
    name: slug,
    password: "correct horse battery staple",
  });
  const org = await createOrganization(database, {
    slug,
    name: slug,
    timeZone: "UTC",
    ownerId: owner.id,
    defaultWindow: false,
  });
  const ctx = { userId: owner.id, organizationId: org.id, role: "owner" as const };
  const run = <T>(fn: (tx: Tx) => Promise<T>) => withContext(ctx, fn, database);
  const [staging] = await run((tx) => tx.select().from(environments).where(eq(environments.name, "staging")));
  const variable = await run((tx) =>
    createVariable(tx, ctx, {
      name: "STRIPE_SECRET_KEY",
      variableType: "api_key",
      securityClassification: "confidential",
      isRequired: false,
      isWeddingCritical: false,
      tags: [],
    }),
  );
  const value = `sk_live_${slug.replaceAll("-", "_")}_${randomBytes(6).toString("hex")}`;
  const at = { variableId: variable.id, environmentId: staging.id };
  await run((tx) => setValue(tx, ctx, { ...at, value, expectedVersion: 0 }));
  return {
    ctx,
    ...at,
    value,
    read: async (db) => (await withContext(ctx, (tx) => revealValue(tx, ctx, at), db)).value,
  };
}
