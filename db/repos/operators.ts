import { desc, sql } from "drizzle-orm";
import type { Tx } from "@/db/client";
import { opsEvents } from "@/db/schema";

/** Whether the transaction's user is an installation operator (migration 0044: the app sees only its own row). */
export async function isOperator(tx: Tx): Promise<boolean> {
  const [row] = await tx.execute<{ yes: boolean }>(sql`SELECT app_is_operator() AS "yes"`);
  return row.yes === true;
}

/** Appends to the operations log (operators only, by row-level security). */
export async function insertOpsEvent(
  tx: Tx,
  event: { actor: string; action: string; subject?: string; details?: Record<string, unknown> },
) {
  await tx.insert(opsEvents).values({
    actor: event.actor,
    action: event.action,
    subject: event.subject ?? null,
    details: event.details ?? {},
  });
}

export async function recentOpsEvents(tx: Tx, limit = 50) {
  return tx
    .select({
      occurredAt: opsEvents.occurredAt,
      actor: opsEvents.actor,
      action: opsEvents.action,
      subject: opsEvents.subject,
      details: opsEvents.details,
    })
    .from(opsEvents)
    .orderBy(desc(opsEvents.occurredAt))
    .limit(limit);
}
