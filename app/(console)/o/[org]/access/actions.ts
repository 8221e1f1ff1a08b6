"use server";

import { z } from "zod";
import { grantPolicy, revokePolicy } from "@/db/mutations/access";
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
