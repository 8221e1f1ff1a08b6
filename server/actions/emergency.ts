"use server";

import { z } from "zod";
import { OWN, perRow } from "@/lib/declared";
import { optionalText, requiredText } from "@/lib/validation/fields";
import {
  acknowledgeEmergencyReview,
  endEmergencySession,
  openEmergencySession,
} from "@/server/emergency/emergency";
import { orgAction } from "@/server/entry/action";

const openInput = z.object({
  environmentId: z.uuid("Choose the locked environment"),
  reason: requiredText(1000, "Say why").refine(
    (s) => s.length >= 10,
    "Say why in at least 10 characters (it goes to the reviewers)",
  ),
  minutes: z.coerce.number().int().min(5, "At least 5 minutes").max(60, "At most 60 minutes"),
});

/** Break glass: emergency access to one locked environment, with a reason, for at most an hour. */
export const openEmergencyAction = orgAction({
  call: "form",
  input: openInput,
  capability: perRow("emergency:open", "openEmergencySession: the role, or an emergency grant there"),
  revalidate: "/",
  run: (tx, ctx, i) => openEmergencySession(tx, ctx, i),
});

export const endEmergencyAction = orgAction({
  call: "none",
  input: z.object({}),
  capability: OWN,
  revalidate: "/",
  run: (tx, ctx) => endEmergencySession(tx, ctx),
});

export const acknowledgeReviewAction = orgAction({
  call: "form",
  input: z.object({ id: z.uuid(), note: optionalText(500) }),
  capability: "approvals:decide",
  revalidate: "/approvals",
  run: (tx, ctx, i) => acknowledgeEmergencyReview(tx, ctx, i),
});
