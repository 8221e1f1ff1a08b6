"use client";

import { useRefreshingForm } from "@/components/forms/use-action-form";
import { Button } from "@/components/ui/button";
import { FormMessage } from "@/components/ui/form-message";
import type { ActionResult } from "@/lib/errors";
import { acknowledgeAlertAction } from "@/server/actions/ops";

type State = ActionResult<unknown> | null;

/** Takes an open alert on: the alert shows who did, and the operations log keeps it. */
export function AcknowledgeForm({ id, label }: { id: string; label: string }) {
  const { state, onSubmit, pending } = useRefreshingForm<State>(acknowledgeAlertAction, null);
  return (
    <form onSubmit={onSubmit} className="flex flex-wrap items-center gap-2">
      <input type="hidden" name="id" value={id} />
      <Button
        type="submit"
        variant="secondary"
        size="sm"
        disabled={pending}
        aria-label={`Acknowledge ${label}`}
      >
        Acknowledge
      </Button>
      <FormMessage state={state} />
    </form>
  );
}
