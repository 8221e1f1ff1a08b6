"use client";

import { useRefreshingForm } from "@/components/forms/use-action-form";
import { Button } from "@/components/ui/button";
import { FormMessage } from "@/components/ui/form-message";
import { Input } from "@/components/ui/input";
import type { ActionResult } from "@/lib/errors";
import { setThresholdAction } from "@/server/actions/ops";

type State = ActionResult<unknown> | null;

/** One alert rule's threshold: a number, or empty for the default. */
export function ThresholdForm({ rule, text, threshold }: { rule: string; text: string; threshold: number }) {
  const { state, onSubmit, pending } = useRefreshingForm<State>(setThresholdAction, null);
  const errors = state && !state.ok ? (state.fieldErrors ?? {}) : {};
  const id = `threshold-${rule}`;
  return (
    <form onSubmit={onSubmit} className="flex flex-wrap items-end gap-2" aria-label={`Threshold of ${rule}`}>
      <input type="hidden" name="rule" value={rule} />
      <div className="flex flex-col gap-1">
        <label htmlFor={id} className="text-sm">
          {text}
        </label>
        <Input
          id={id}
          name="threshold"
          inputMode="decimal"
          defaultValue={String(threshold)}
          className="w-40"
          aria-invalid={errors.threshold ? true : undefined}
        />
      </div>
      <Button type="submit" variant="secondary" size="sm" disabled={pending}>
        Save
      </Button>
      <FormMessage state={state} success="Saved." />
      {errors.threshold ? (
        <p role="alert" className="text-xs text-red-700">
          {errors.threshold.join(" ")}
        </p>
      ) : null}
    </form>
  );
}
