"use client";

import { useActionForm } from "@/components/forms/use-action-form";
import { Button } from "@/components/ui/button";
import { FormMessage } from "@/components/ui/form-message";
import { Input } from "@/components/ui/input";
import type { ActionResult } from "@/lib/errors";
import { approveRequestAction, cancelRequestAction, rejectRequestAction } from "@/server/actions/approvals";
import type { Decision } from "@/server/approvals/change-requests";

type State = ActionResult<Decision> | null;

const OUTCOME: Record<Decision["status"], string> = {
  approved: "Approved and applied.",
  rejected: "Rejected; the requester sees your note.",
  stale: "Not applied: a value it was based on changed since it was asked for. It is marked stale.",
  expired: "Not applied: the request has expired.",
};

function outcome(state: State) {
  if (!state?.ok) return null;
  const text =
    state.data.status === "stale"
      ? `${OUTCOME.stale} Moved: ${state.data.moved.join(", ")}.`
      : OUTCOME[state.data.status];
  return (
    <p role="status" className="text-sm text-gray-800">
      {text}
    </p>
  );
}

const fieldError = (state: State, name: string) =>
  state && !state.ok ? [...(state.fieldErrors?.[name] ?? []), ...(state.fieldErrors?.form ?? [])] : [];

/** Approve (applies the change at once) or reject with a note, for a reviewer who did not ask for it. */
export function DecisionForms({ org, id, label }: { org: string; id: string; label: string }) {
  const approve = useActionForm<State>(approveRequestAction.bind(null, org), null);
  const reject = useActionForm<State>(rejectRequestAction.bind(null, org), null);
  const busy = approve.pending || reject.pending;
  return (
    <div className="flex flex-wrap items-start gap-4">
      <form
        onSubmit={approve.onSubmit}
        className="flex flex-wrap items-center gap-2"
        aria-label={`Approve ${label}`}
      >
        <input type="hidden" name="id" value={id} />
        <Input
          name="note"
          aria-label="Approval note"
          placeholder="Note (optional)"
          className="w-56"
          maxLength={1000}
        />
        <Button type="submit" size="sm" disabled={busy}>
          {approve.pending ? "Applying…" : "Approve and apply"}
        </Button>
      </form>
      <form
        onSubmit={reject.onSubmit}
        className="flex flex-wrap items-center gap-2"
        aria-label={`Reject ${label}`}
      >
        <input type="hidden" name="id" value={id} />
        <Input
          name="note"
          aria-label="Rejection note"
          placeholder="Why (required)"
          className="w-56"
          maxLength={1000}
        />
        <Button type="submit" size="sm" variant="danger" disabled={busy}>
          Reject
        </Button>
      </form>
      <div className="w-full space-y-1">
        <FormMessage state={approve.state} />
        <FormMessage state={reject.state} />
        {[...fieldError(approve.state, "note"), ...fieldError(reject.state, "note")].map((e) => (
          <p key={e} className="text-xs text-red-700">
            {e}
          </p>
        ))}
        {outcome(approve.state)}
        {outcome(reject.state)}
      </div>
    </div>
  );
}

/** The requester withdraws their own pending request. */
export function WithdrawForm({ org, id, label }: { org: string; id: string; label: string }) {
  const { state, onSubmit, pending } = useActionForm<ActionResult<unknown> | null>(
    cancelRequestAction.bind(null, org),
    null,
  );
  return (
    <form onSubmit={onSubmit} className="flex items-center gap-2" aria-label={`Withdraw ${label}`}>
      <input type="hidden" name="id" value={id} />
      <Button type="submit" size="sm" variant="secondary" disabled={pending}>
        Withdraw
      </Button>
      <FormMessage state={state} />
    </form>
  );
}
