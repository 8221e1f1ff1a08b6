"use server";

import { z } from "zod";
import { VALUE_WRITE } from "@/lib/declared";
import { optionalText, versionNumber } from "@/lib/validation/fields";
import { orgAction } from "@/server/entry/action";
import { promoteValues } from "@/server/values/promote";

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
export const promoteAction = orgAction({
  call: "input",
  input: promoteInput,
  capability: VALUE_WRITE,
  revalidate: "/",
  run: (tx, ctx, i) => promoteValues(tx, ctx, i),
});
