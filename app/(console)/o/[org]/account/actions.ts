"use server";

import { z } from "zod";
import { revokeMySessions } from "@/db/mutations/sessions";
import { OWN } from "@/lib/declared";
import { runAction } from "@/server/action";

export async function revokeSessionAction(org: string, _prev: unknown, form: FormData) {
  const schema = z.object({ sessionId: z.uuid().optional(), others: z.literal("true").optional() });
  return runAction(
    org,
    schema,
    form,
    (tx, ctx, i) => revokeMySessions(tx, ctx, { sessionId: i.sessionId, others: i.others === "true" }),
    { capability: OWN },
  );
}
