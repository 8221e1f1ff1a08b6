import type { Tx } from "@/db/client";
import { type RequestContext, withContext } from "@/db/context";
import { isOperator } from "@/db/repos/operators";
import { userEmail } from "@/db/repos/users";
import { AppError } from "@/lib/errors";

/**
 * The operator console is for installation operators (`npm run ops:grant`), whatever their organization roles:
 * an owner of every organization is not one, and an operator needs no membership. Checked in the database's
 * own terms (app_is_operator(), migration 0044) by every read and action of /ops.
 */
export async function requireOperator(tx: Tx): Promise<void> {
  if (!(await isOperator(tx))) throw new AppError("forbidden");
}

/** The operator's email, as the operations log names them; refuses anyone else. */
export async function operatorName(tx: Tx, ctx: RequestContext): Promise<string> {
  await requireOperator(tx);
  return (await userEmail(tx, ctx.userId)) ?? ctx.userId;
}

/** Whether the caller is an operator (in a page's shared read transaction when given one: db/context.ts). */
export const checkOperator = (ctx: RequestContext) => withContext(ctx, (tx) => isOperator(tx));
