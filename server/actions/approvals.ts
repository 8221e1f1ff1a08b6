"use server";

import { z } from "zod";
import { OWN, perRow } from "@/lib/declared";
import { optionalText, requiredText } from "@/lib/validation/fields";
import { revealProposedValue } from "@/server/approvals/change-request-reveal";
import {
  approveChangeRequest,
  cancelChangeRequest,
  rejectChangeRequest,
} from "@/server/approvals/change-requests";
import { orgAction } from "@/server/entry/action";

const id = z.uuid("Unknown change request");

export const approveRequestAction = orgAction({
  call: "form",
  input: z.object({ id, note: optionalText(1000) }),
  capability: "approvals:decide",
  revalidate: "/",
  run: (tx, ctx, i) => approveChangeRequest(tx, ctx, i),
});

export const rejectRequestAction = orgAction({
  call: "form",
  input: z.object({
    id,
    note: requiredText(1000, "Tell the requester why").refine(
      (s) => s.length >= 3,
      "Tell the requester why (at least 3 characters)",
    ),
  }),
  capability: "approvals:decide",
  revalidate: "/approvals",
  run: (tx, ctx, i) => rejectChangeRequest(tx, ctx, i),
});

export const cancelRequestAction = orgAction({
  call: "form",
  input: z.object({ id }),
  capability: OWN,
  revalidate: "/",
  run: (tx, ctx, i) => cancelChangeRequest(tx, ctx, i),
});

/** The audited reveal of a value proposed in a pending request (reviewers and the requester). */
export const revealProposedAction = orgAction({
  call: "input",
  input: z.object({ id, variableId: z.uuid() }),
  capability: perRow("value:read", "revealProposedValue: read on the value, and deciding or having asked"),
  run: (tx, ctx, i) => revealProposedValue(tx, ctx, i),
});
