"use client";

import { useRefreshingForm } from "@/components/forms/use-action-form";
import { Button } from "@/components/ui/button";
import { FormMessage } from "@/components/ui/form-message";
import type { ActionResult } from "@/lib/errors";
import { runPrecheckAction } from "@/server/actions/precheck";

type State = ActionResult<unknown> | null;

/** Runs the organization's pre-check for its next wedding hours now; the checklist above reads again. */
export function PrecheckRunForm({ org }: { org: string }) {
  const { state, onSubmit, pending } = useRefreshingForm<State>(runPrecheckAction.bind(null, org), null);
  return (
    <form onSubmit={onSubmit} className="space-y-2" aria-label="Run the pre-check">
      <input type="hidden" name="confirm" value="precheck" />
      <FormMessage state={state} success="Pre-check run: the checklist shows what it found." />
      <Button type="submit" size="sm" disabled={pending}>
        {pending ? "Checking…" : "Run the pre-check now"}
      </Button>
    </form>
  );
}
