import "server-only";
import { sql } from "drizzle-orm";
import type { Tx } from "@/db/client";

/** What erase_user removed (migration 0052), as counts. */
export type Erased = {
  organizations: number;
  audit_rows: number;
  sessions: number;
  cli_logins: number;
  invitations: number;
  personal_tokens: number;
};

/**
 * Erases a person (erase_user, SECURITY DEFINER): the caller's context must be that person or an operator. The
 * database refuses an only owner (RBE01), an operator (RBE02) or someone already erased (RBE03).
 */
export async function eraseUserRow(tx: Tx, userId: string): Promise<Erased> {
  const [row] = await tx.execute<{ erased: Erased }>(sql`select erase_user(${userId}) as erased`);
  return row.erased;
}
