"use server";

import { z } from "zod";
import { promoteValues } from "@/db/mutations/promote";
import { VALUE_WRITE } from "@/lib/declared";
import { optionalText, versionNumber } from "@/lib/validation/fields";
import { runAction } from "@/server/action";

const promoteInput = z.object({
  fromEnvironmentId: z.uuid("Choose the source environment"),
  toEnvironmentId: z.uuid("Choose the target environment"),
  items: z
    .array(z.object({ variableId: z.uuid(), expectedVersion: versionNumber() }))
    .min(1, "Select at least one key to promote")
    .max(20_000),
  note: optionalText(400),
});

/** Promotes the selected keys in one transaction: all of them, or none with the reason. */
export async function promoteAction(org: string, input: z.input<typeof promoteInput>) {
  return runAction(org, promoteInput, input, (tx, ctx, i) => promoteValues(tx, ctx, i), {
    capability: VALUE_WRITE,
    revalidate: "/",
  });
}
