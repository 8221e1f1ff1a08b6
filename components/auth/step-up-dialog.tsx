"use client";

import { type FormEvent, useEffect, useRef, useState } from "react";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { FormMessage } from "@/components/ui/form-message";
import { Input } from "@/components/ui/input";
import { modalClass } from "@/components/ui/modal";
import type { ActionResult } from "@/lib/errors";
import { reauthenticateAction } from "@/server/actions/mfa";

type Props = {
  /** The user has two-factor authentication: they may answer with a code instead of the password. */
  totp: boolean;
  /** Called once: true when the server accepted the proof, false when the user cancelled. */
  onDone: (confirmed: boolean) => void;
};

/** "Confirm it is you": a modal asking for the password (or an authentication code) before a sensitive step. */
export function StepUpDialog({ totp, onDone }: Props) {
  const dialog = useRef<HTMLDialogElement>(null);
  const settled = useRef(false);
  const [state, setState] = useState<ActionResult<unknown> | null>(null);
  // Plain state, not a transition: the caller waits for this dialog inside its own transition, and React
  // would keep every entangled transition pending until both ended.
  const [pending, setPending] = useState(false);

  useEffect(() => {
    if (!dialog.current?.open) dialog.current?.showModal();
  }, []);

  const finish = (confirmed: boolean) => {
    if (settled.current) return;
    settled.current = true;
    onDone(confirmed);
  };

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setPending(true);
    reauthenticateAction({
      password: String(form.get("password") ?? ""),
      code: totp ? String(form.get("code") ?? "") : undefined,
    })
      .then((result) => {
        if (result.ok) finish(true);
        else setState(result);
      })
      .catch(() =>
        setState({ ok: false, error: { code: "internal", message: "Could not check. Try again." } }),
      )
      .finally(() => setPending(false));
  };

  const errors = state && !state.ok ? state.fieldErrors : undefined;
  return (
    <dialog
      ref={dialog}
      aria-labelledby="step-up-title"
      aria-describedby="step-up-why"
      onClose={() => finish(false)}
      className={modalClass("sm")}
    >
      <form onSubmit={submit} className="space-y-4 p-5" aria-label="Confirm it is you">
        <h2 id="step-up-title" className="text-base font-semibold">
          Confirm it is you
        </h2>
        <p id="step-up-why" className="text-sm text-gray-600">
          {totp ? "Enter your password or a code from your authenticator app." : "Enter your password."}{" "}
          Production secrets and break-glass ask again when you have not confirmed in the last five minutes.
        </p>
        <FormMessage state={state} />
        <Field label="Password" htmlFor="step-up-password" error={errors?.password}>
          <Input
            id="step-up-password"
            name="password"
            type="password"
            autoComplete="current-password"
            autoFocus
          />
        </Field>
        {totp ? (
          <Field label="Authentication code" htmlFor="step-up-code" error={errors?.code}>
            <Input
              id="step-up-code"
              name="code"
              inputMode="numeric"
              autoComplete="one-time-code"
              maxLength={7}
            />
          </Field>
        ) : null}
        <div className="flex gap-2">
          <Button type="submit" disabled={pending}>
            {pending ? "Checking…" : "Confirm"}
          </Button>
          <Button type="button" variant="ghost" onClick={() => dialog.current?.close()}>
            Cancel
          </Button>
        </div>
      </form>
    </dialog>
  );
}
