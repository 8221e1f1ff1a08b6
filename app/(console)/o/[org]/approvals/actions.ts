"use server";

import { z } from "zod";
import { revealProposedValue } from "@/db/mutations/change-request-reveal";
import {
  approveChangeRequest,
  cancelChangeRequest,
  rejectChangeRequest,
} from "@/db/mutations/change-requests";
import { memberOnly, OWN } from "@/lib/declared";
import type { ActionResult } from "@/lib/errors";
import { optionalText, requiredText } from "@/lib/validation/fields";
import { runAction } from "@/server/action";

const id = z.uuid("Unknown change request");

export async function approveRequestAction(org: string, _prev: unknown, form: FormData) {
  const schema = z.object({ id, note: optionalText(1000) });
  return runAction(org, schema, form, (tx, ctx, i) => approveChangeRequest(tx, ctx, i), {
    capability: "approvals:decide",
    revalidate: "/",
  });
}

export async function rejectRequestAction(org: string, _prev: unknown, form: FormData) {
  const schema = z.object({
    id,
    note: requiredText(1000, "Tell the requester why").refine(
      (s) => s.length >= 3,
      "Tell the requester why (at least 3 characters)",
    ),
  });
  return runAction(org, schema, form, (tx, ctx, i) => rejectChangeRequest(tx, ctx, i), {
    capability: "approvals:decide",
    revalidate: "/approvals",
  });
}

export async function cancelRequestAction(org: string, _prev: unknown, form: FormData) {
  return runAction(org, z.object({ id }), form, (tx, ctx, i) => cancelChangeRequest(tx, ctx, i), {
    capability: OWN,
    revalidate: "/",
  });
}

/** The audited reveal of a value proposed in a pending request (reviewers and the requester). */
export async function revealProposedAction(
  org: string,
  input: { id: string; variableId: string },
): Promise<ActionResult<{ value: string }>> {
  return runAction(
    org,
    z.object({ id, variableId: z.uuid() }),
    input,
    (tx, ctx, i) => revealProposedValue(tx, ctx, i),
    {
      capability: memberOnly(
        "read permission on the value, and deciding or having asked (revealProposedValue)",
      ),
    },
  );
}
