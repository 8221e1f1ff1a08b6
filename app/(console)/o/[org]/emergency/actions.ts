"use server";

import { z } from "zod";
import {
  acknowledgeEmergencyReview,
  endEmergencySession,
  openEmergencySession,
} from "@/db/mutations/emergency";
import { memberOnly, OWN } from "@/lib/declared";
import { optionalText, requiredText } from "@/lib/validation/fields";
import { runAction } from "@/server/action";

const openInput = z.object({
  environmentId: z.uuid("Choose the locked environment"),
  reason: requiredText(1000, "Say why").refine(
    (s) => s.length >= 10,
    "Say why in at least 10 characters (it goes to the reviewers)",
  ),
  minutes: z.coerce.number().int().min(5, "At least 5 minutes").max(60, "At most 60 minutes"),
});

/** Break glass: emergency access to one locked environment, with a reason, for at most an hour. */
export async function openEmergencyAction(org: string, _prev: unknown, form: FormData) {
  return runAction(org, openInput, form, (tx, ctx, i) => openEmergencySession(tx, ctx, i), {
    capability: memberOnly("emergency: role or an emergency grant (openEmergencySession)"),
    revalidate: "/",
  });
}

export async function endEmergencyAction(org: string) {
  return runAction(org, z.object({}), {}, (tx, ctx) => endEmergencySession(tx, ctx), {
    capability: OWN,
    revalidate: "/",
  });
}

export async function acknowledgeReviewAction(org: string, _prev: unknown, form: FormData) {
  const schema = z.object({ id: z.uuid(), note: optionalText(500) });
  return runAction(org, schema, form, (tx, ctx, i) => acknowledgeEmergencyReview(tx, ctx, i), {
    capability: "approvals:decide",
    revalidate: "/approvals",
  });
}
