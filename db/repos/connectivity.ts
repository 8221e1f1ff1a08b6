import { and, eq } from "drizzle-orm";
import type { Tx } from "@/db/client";
import { variableValidations } from "@/db/schema";

/** The latest connectivity check of a database URL, kept as its `variable_validations` row. */

/** Replaces the variable's connectivity validation in the environment with this one. */
export async function replaceConnectivityValidation(
  tx: Tx,
  row: Omit<typeof variableValidations.$inferInsert, "validationType">,
) {
  await tx
    .delete(variableValidations)
    .where(
      and(
        eq(variableValidations.variableId, row.variableId),
        eq(variableValidations.environmentId, row.environmentId),
        eq(variableValidations.validationType, "connectivity"),
      ),
    );
  await tx.insert(variableValidations).values({ ...row, validationType: "connectivity" });
}
