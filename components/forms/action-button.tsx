"use client";

import { useActionForm } from "@/components/forms/use-action-form";
import { Button } from "@/components/ui/button";
import { FormMessage } from "@/components/ui/form-message";
import type { ActionResult } from "@/lib/errors";

type FormAction = (
  state: ActionResult<unknown> | null,
  form: FormData,
) => Promise<ActionResult<unknown> | null>;

/**
 * One small button that runs a form action (a revoke) with hidden fields, and says why it was refused. The
 * action comes bound to its organization (`revokeTokenAction.bind(null, org)`), from a page or a component.
 */
export function ActionButton({
  action,
  fields,
  label,
  ariaLabel,
}: {
  action: FormAction;
  fields: Record<string, string>;
  label: string;
  ariaLabel: string;
}) {
  const { state, onSubmit, pending } = useActionForm<ActionResult<unknown> | null>(action, null);
  return (
    <form onSubmit={onSubmit} className="flex items-center gap-2">
      {Object.entries(fields).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      <Button type="submit" variant="ghost" size="sm" disabled={pending} aria-label={ariaLabel}>
        {label}
      </Button>
      <FormMessage state={state} />
    </form>
  );
}
