"use client";

import { useRefreshingForm } from "@/components/forms/use-action-form";
import { Button } from "@/components/ui/button";
import { FormMessage } from "@/components/ui/form-message";
import type { ActionResult } from "@/lib/errors";
import { checkIntegrityAction } from "@/server/actions/ops";

type State = ActionResult<{ organizations: number; failed: number }> | null;

/** Runs every organization's integrity checks now and shows how it went. */
export function IntegrityCheckForm() {
  const { state, onSubmit, pending } = useRefreshingForm<State>(checkIntegrityAction, null);
  const done = state?.ok
    ? `Checked ${state.data.organizations} organization(s): ${state.data.failed === 0 ? "all passed" : `${state.data.failed} failed`}.`
    : undefined;
  return (
    <form onSubmit={onSubmit} className="space-y-2" aria-label="Run the integrity checks">
      <input type="hidden" name="confirm" value="check" />
      <FormMessage state={state} success={done} />
      <Button type="submit" disabled={pending}>
        {pending ? "Checking…" : "Check now"}
      </Button>
    </form>
  );
}
