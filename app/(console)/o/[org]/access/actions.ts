"use server";

import { z } from "zod";
import { grantPolicy, revokePolicy } from "@/db/mutations/access";
import { changeRole, removeMember, revokeMemberSessions } from "@/db/mutations/members";
import { ROLES } from "@/lib/roles";
import { policyInput } from "@/lib/validation/access";
import { runAction } from "@/server/action";

export async function grantPolicyAction(org: string, _prev: unknown, form: FormData) {
  return runAction(org, policyInput, form, (tx, ctx, input) => grantPolicy(tx, ctx, input), {
    revalidate: "/access",
  });
}

export async function revokePolicyAction(org: string, _prev: unknown, form: FormData) {
  const schema = z.object({ id: z.uuid(), version: z.coerce.number().int().min(1) });
  return runAction(org, schema, form, (tx, ctx, input) => revokePolicy(tx, ctx, input), {
    revalidate: "/access",
  });
}

const member = z.object({ userId: z.uuid() });

export async function changeRoleAction(org: string, _prev: unknown, form: FormData) {
  return runAction(
    org,
    member.extend({ role: z.enum(ROLES, { error: "Choose a role" }) }),
    form,
    (tx, ctx, i) => changeRole(tx, ctx, i),
    { revalidate: "/access" },
  );
}

export async function removeMemberAction(org: string, _prev: unknown, form: FormData) {
  return runAction(org, member, form, (tx, ctx, i) => removeMember(tx, ctx, i), { revalidate: "/access" });
}

export async function revokeSessionsAction(org: string, _prev: unknown, form: FormData) {
  return runAction(org, member, form, (tx, ctx, i) => revokeMemberSessions(tx, ctx, i), {
    revalidate: "/access",
  });
}
