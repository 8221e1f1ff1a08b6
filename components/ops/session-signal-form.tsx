"use client";

import { useRefreshingForm } from "@/components/forms/use-action-form";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { FormMessage } from "@/components/ui/form-message";
import { Input } from "@/components/ui/input";
import { Select } from "@/components/ui/select";
import type { ActionResult } from "@/lib/errors";
import { signalSessionAction } from "@/server/actions/ops";

type State = ActionResult<unknown> | null;

/** Cancels a stuck session's statement or ends the session, with a reason the operations log keeps. */
export function SessionSignalForm({ pid }: { pid: number }) {
  const { state, onSubmit, pending } = useRefreshingForm<State>(signalSessionAction, null);
  const errors = state && !state.ok ? (state.fieldErrors ?? {}) : {};
  return (
    <form onSubmit={onSubmit} className="space-y-2" aria-label={`End session ${pid}`}>
      <input type="hidden" name="pid" value={pid} />
      <FormMessage state={state} success="Done." />
      <div className="flex flex-wrap items-end gap-2">
        <Field label="How" htmlFor={`how-${pid}`} error={errors.how}>
          <Select id={`how-${pid}`} name="how" defaultValue="cancel">
            <option value="cancel">Cancel its statement</option>
            <option value="terminate">End the session</option>
          </Select>
        </Field>
        <Field label="Reason" htmlFor={`reason-${pid}`} error={errors.reason}>
          <Input id={`reason-${pid}`} name="reason" maxLength={500} required minLength={10} />
        </Field>
        <Button type="submit" variant="danger" size="sm" disabled={pending}>
          Apply
        </Button>
      </div>
    </form>
  );
}
