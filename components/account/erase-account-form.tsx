"use client";

import { signOut } from "next-auth/react";
import { useEffect } from "react";
import { useStepUp } from "@/components/auth/use-step-up";
import { useActionForm } from "@/components/forms/use-action-form";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { FormMessage } from "@/components/ui/form-message";
import { Input } from "@/components/ui/input";
import type { ActionResult } from "@/lib/errors";
import { eraseAccountAction } from "@/server/actions/organizations";

type State = ActionResult<unknown> | null;

/**
 * The person erases their own account: their e-mail address typed again, then a recent sign-in. Their sessions
 * end with it, so the browser signs out and lands on the sign-in page.
 */
export function EraseAccountForm() {
  const stepUp = useStepUp();
  const { state, onSubmit, pending } = useActionForm<State>(
    (prev, form) => stepUp.withStepUp(() => eraseAccountAction(prev, form)),
    null,
  );
  useEffect(() => {
    if (state?.ok) void signOut({ callbackUrl: "/login?erased=1" });
  }, [state]);
  const e = state && !state.ok ? state.fieldErrors : undefined;
  const soleOwnerOf =
    state && !state.ok && state.error.code === "conflict:sole_owner"
      ? state.error.meta?.organization
      : undefined;
  return (
    <>
      {stepUp.dialog}
      <form onSubmit={onSubmit} className="space-y-3" aria-label="Erase my account">
        <FormMessage state={state} success="Erased. Signing you out…" />
        {typeof soleOwnerOf === "string" ? (
          <p className="text-sm text-red-700">You are the only owner of {soleOwnerOf}.</p>
        ) : null}
        <Field
          label="Type your e-mail address to confirm"
          htmlFor="erase-confirm"
          hint="You leave every organization at once and cannot sign in again. The audit trail keeps what you did, under an anonymous id, without your name, address or browser."
          error={e?.confirm}
        >
          <Input id="erase-confirm" name="confirm" type="email" autoComplete="off" required maxLength={320} />
        </Field>
        <Button type="submit" variant="danger" disabled={pending || state?.ok === true}>
          Erase my account
        </Button>
      </form>
    </>
  );
}
