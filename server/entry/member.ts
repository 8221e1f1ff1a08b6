import "server-only";
import type { TenantContext } from "@/db/context";
import { type MemberDeclared, passes } from "@/lib/declared";
import { AppError } from "@/lib/errors";
import { type CurrentUser, type Member, memberContextOf } from "../session";

/**
 * The caller's membership of the organization and the declared capability checked against the capabilities
 * table (lib/declared.ts `passes`); `forbidden` otherwise. Returns the RLS context for the transaction.
 */
export async function memberOf(
  user: CurrentUser,
  org: string,
  declared: MemberDeclared,
): Promise<{ ctx: TenantContext; member: Member }> {
  const member = await memberContextOf(user, org);
  if (!member) throw new AppError("forbidden");
  if (!passes(member.role, declared)) throw new AppError("forbidden");
  const { user: _u, org: _o, emergency: _e, ...ctx } = member;
  return { ctx, member };
}
