"use client";

import { useActionForm } from "@/components/forms/use-action-form";
import { Button } from "@/components/ui/button";
import { FormMessage } from "@/components/ui/form-message";
import { Input } from "@/components/ui/input";
import type { ActionResult } from "@/lib/errors";
import { acknowledgeReviewAction } from "@/server/actions/emergency";

/** Acknowledge one emergency change, with an optional note (not allowed for the person who made it). */
export function AcknowledgeForm({ org, id, label }: { org: string; id: string; label: string }) {
  const { state, onSubmit, pending } = useActionForm<ActionResult<unknown> | null>(
    acknowledgeReviewAction.bind(null, org),
    null,
  );
  return (
    <form
      onSubmit={onSubmit}
      className="flex flex-wrap items-center gap-2"
      aria-label={`Acknowledge ${label}`}
    >
      <input type="hidden" name="id" value={id} />
      <Input name="note" placeholder="Note (optional)" aria-label="Note" className="w-56" maxLength={500} />
      <Button type="submit" size="sm" disabled={pending}>
        Acknowledge
      </Button>
      <FormMessage state={state} />
      {state && !state.ok && state.fieldErrors?.form ? (
        <span className="text-xs text-red-700">{state.fieldErrors.form.join(" ")}</span>
      ) : null}
    </form>
  );
}
