"use server";

import { z } from "zod";
import { createEnvironment, updateEnvironment } from "@/db/mutations/environments";
import { environmentInput } from "@/lib/validation/environments";
import { runAction } from "@/server/action";

export async function createEnvironmentAction(org: string, _prev: unknown, form: FormData) {
  return runAction(org, environmentInput, form, (tx, ctx, input) => createEnvironment(tx, ctx, input), {
    revalidate: "/",
  });
}

export async function updateEnvironmentAction(org: string, _prev: unknown, form: FormData) {
  const schema = z.object({ id: z.uuid(), version: z.coerce.number().int().min(1) }).and(environmentInput);
  return runAction(
    org,
    schema,
    form,
    (tx, ctx, { id, version, ...input }) => updateEnvironment(tx, ctx, id, version, input),
    { revalidate: "/" },
  );
}
