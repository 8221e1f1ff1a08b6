"use server";

import { z } from "zod";
import { OWN } from "@/lib/declared";
import { revokeMySessions } from "@/server/auth/sessions";
import { orgAction } from "@/server/entry/action";

export const revokeSessionAction = orgAction({
  call: "form",
  input: z.object({ sessionId: z.uuid().optional(), others: z.literal("true").optional() }),
  capability: OWN,
  run: (tx, ctx, i) => revokeMySessions(tx, ctx, { sessionId: i.sessionId, others: i.others === "true" }),
});
