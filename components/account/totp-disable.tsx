"use client";

import { useRouter } from "next/navigation";
import { useEffect } from "react";
import { useActionForm } from "@/components/forms/use-action-form";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { FormMessage } from "@/components/ui/form-message";
import { Input } from "@/components/ui/input";
import type { ActionResult } from "@/lib/errors";
import { disableTotpAction } from "@/server/actions/mfa";

/** Turning two-factor authentication off: a current code from the app, or the password. */
export function TotpDisable() {
  const router = useRouter();
  const { state, onSubmit, pending } = useActionForm<ActionResult<{ disabled: boolean }> | null>(
    disableTotpAction,
    null,
  );
  useEffect(() => {
    if (state?.ok) router.refresh();
  }, [state, router]);
  const errors = state && !state.ok ? state.fieldErrors : undefined;
  return (
    <form onSubmit={onSubmit} className="flex max-w-sm flex-col gap-3" aria-label="Turn off two-factor">
      <p className="text-sm text-gray-700">
        To turn it off, enter a current code from your app, or your password.
      </p>
      <FormMessage state={state} />
      <Field label="Authentication code" htmlFor="totp-off-code" error={errors?.code}>
        <Input
          id="totp-off-code"
          name="code"
          inputMode="numeric"
          autoComplete="one-time-code"
          maxLength={7}
        />
      </Field>
      <Field label="Or your password" htmlFor="totp-off-password" error={errors?.password}>
        <Input id="totp-off-password" name="password" type="password" autoComplete="current-password" />
      </Field>
      <Button type="submit" variant="danger" disabled={pending}>
        {pending ? "Turning off…" : "Turn off two-factor authentication"}
      </Button>
    </form>
  );
}
