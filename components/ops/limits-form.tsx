"use client";

import { useRefreshingForm } from "@/components/forms/use-action-form";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { FormMessage } from "@/components/ui/form-message";
import { Input } from "@/components/ui/input";
import type { ActionResult } from "@/lib/errors";
import { LIMITS } from "@/lib/usage-limits";
import { setLimitsAction } from "@/server/actions/ops";

type State = ActionResult<unknown> | null;

/** An organization's own limits: a whole number each, or empty for the installation's default. */
export function LimitsForm({
  organizationId,
  name,
  own,
}: {
  organizationId: string;
  name: string;
  /** The limits set for this organization (absent: the default applies). */
  own: Record<string, number | undefined>;
}) {
  const { state, onSubmit, pending } = useRefreshingForm<State>(setLimitsAction, null);
  const errors = state && !state.ok ? (state.fieldErrors ?? {}) : {};
  return (
    <form onSubmit={onSubmit} className="grid gap-3 sm:grid-cols-2" aria-label={`Limits of ${name}`}>
      <input type="hidden" name="organizationId" value={organizationId} />
      {LIMITS.map((limit) => (
        <Field
          key={limit.key}
          label={limit.label}
          htmlFor={`${organizationId}-${limit.key}`}
          error={errors[limit.key]}
        >
          <Input
            id={`${organizationId}-${limit.key}`}
            name={limit.key}
            inputMode="numeric"
            placeholder="default"
            defaultValue={own[limit.key] === undefined ? "" : String(own[limit.key])}
          />
        </Field>
      ))}
      <div className="flex items-center gap-3 sm:col-span-2">
        <Button type="submit" variant="secondary" size="sm" disabled={pending}>
          Save limits
        </Button>
        <FormMessage state={state} success="Saved." />
      </div>
    </form>
  );
}
