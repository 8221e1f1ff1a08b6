"use client";

import { useRefreshingForm } from "@/components/forms/use-action-form";
import { Button } from "@/components/ui/button";
import { FormMessage } from "@/components/ui/form-message";
import type { ActionResult } from "@/lib/errors";
import { runPrechecksAction } from "@/server/actions/ops";

type State = ActionResult<{ organizations: number; recorded: number }> | null;

/** Runs the pre-check now for every organization with wedding hours within a week. */
export function PrecheckRunAllForm() {
  const { state, onSubmit, pending } = useRefreshingForm<State>(runPrechecksAction, null);
  const done = state?.ok
    ? `Checked ${state.data.recorded} of ${state.data.organizations} organization(s); the others have no wedding hours within a week.`
    : undefined;
  return (
    <form onSubmit={onSubmit} className="space-y-2" aria-label="Run every pre-check">
      <input type="hidden" name="confirm" value="precheck" />
      <FormMessage state={state} success={done} />
      <Button type="submit" disabled={pending}>
        {pending ? "Checking…" : "Run the pre-check now"}
      </Button>
    </form>
  );
}
