"use client";

import { useRouter } from "next/navigation";
import { useEffect } from "react";
import { useActionForm } from "@/components/forms/use-action-form";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { FormMessage } from "@/components/ui/form-message";
import { Input } from "@/components/ui/input";
import type { ActionResult } from "@/lib/errors";
import { MAX_TOKEN_DAYS } from "@/lib/service-tokens";
import { setTokenLifetimeAction } from "@/server/actions/tokens";

/** The longest a new token of the organization may live (tokens already made keep their expiry). */
export function LifetimeForm({ org, maxTokenDays }: { org: string; maxTokenDays: number }) {
  const router = useRouter();
  const { state, onSubmit, pending } = useActionForm<ActionResult<unknown> | null>(
    setTokenLifetimeAction.bind(null, org),
    null,
  );
  useEffect(() => {
    if (state?.ok) router.refresh();
  }, [state, router]);
  const e = state && !state.ok ? state.fieldErrors : undefined;
  return (
    <form onSubmit={onSubmit} aria-label="Token lifetime" className="flex flex-wrap items-end gap-3">
      <Field
        label="Longest lifetime (days)"
        htmlFor="t-max-days"
        error={e?.maxTokenDays}
        hint={`1 to ${MAX_TOKEN_DAYS}; tokens already made keep their expiry`}
      >
        <Input
          id="t-max-days"
          name="maxTokenDays"
          type="number"
          min={1}
          max={MAX_TOKEN_DAYS}
          defaultValue={maxTokenDays}
          required
        />
      </Field>
      <Button type="submit" variant="secondary" disabled={pending}>
        Save lifetime
      </Button>
      <FormMessage state={state} success="Saved." />
    </form>
  );
}
