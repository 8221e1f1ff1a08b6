import { and, eq, isNull } from "drizzle-orm";
import type { Tx } from "@/db/client";
import { environmentVariables } from "@/db/schema";

/** The variable a drift's deployed value is adopted into: found by name, or created for it. */

export type VariableRow = typeof environmentVariables.$inferSelect;

/** The organization's live (not deleted) variable of that name, if there is one. */
export async function liveVariableNamed(
  tx: Tx,
  organizationId: string,
  name: string,
): Promise<VariableRow | undefined> {
  const [variable] = await tx
    .select()
    .from(environmentVariables)
    .where(
      and(
        eq(environmentVariables.organizationId, organizationId),
        eq(environmentVariables.name, name),
        isNull(environmentVariables.deletedAt),
      ),
    );
  return variable;
}

/** Inserts a variable; the row as stored. */
export async function insertVariable(tx: Tx, values: typeof environmentVariables.$inferInsert) {
  const [variable] = await tx.insert(environmentVariables).values(values).returning();
  return variable;
}
