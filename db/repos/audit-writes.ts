import type { Tx } from "@/db/client";
import { environmentVariableAudit } from "@/db/schema";

export type AuditInsert = typeof environmentVariableAudit.$inferInsert;

/** Appends audit rows in the caller's transaction, 1,000 per statement; the chain trigger links them in order. */
export async function insertAuditRows(tx: Tx, rows: AuditInsert[]) {
  for (let i = 0; i < rows.length; i += 1000) {
    await tx.insert(environmentVariableAudit).values(rows.slice(i, i + 1000));
  }
}
