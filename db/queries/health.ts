import "server-only";
import { eq, sql } from "drizzle-orm";
import { type TenantContext, withContext } from "../context";
import { environments } from "../schema";
import { byTier } from "./environment-order";

export type EnvironmentHealth = {
  missing_variables: number;
  configuration_drift: number;
  failed_validations: number;
  last_sync: string | null;
  status: "healthy" | "warning" | "critical";
};

/** Seed 000's get_environment_health for each environment of the organization. */
export async function environmentHealth(ctx: TenantContext) {
  return withContext(ctx, (tx) =>
    tx
      .select({
        id: environments.id,
        name: environments.name,
        weddingDayProtection: environments.weddingDayProtection,
        health: sql<EnvironmentHealth>`get_environment_health(${environments.id})`,
      })
      .from(environments)
      .where(eq(environments.organizationId, ctx.organizationId))
      .orderBy(...byTier),
  );
}
