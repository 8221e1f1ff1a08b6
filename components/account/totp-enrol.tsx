"use client";

import { useRouter } from "next/navigation";
import { useEffect, useState, useTransition } from "react";
import { useStepUp } from "@/components/auth/use-step-up";
import { useActionForm } from "@/components/forms/use-action-form";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { FormMessage } from "@/components/ui/form-message";
import { Input } from "@/components/ui/input";
import type { ActionResult } from "@/lib/errors";
import { beginTotpAction, confirmTotpAction } from "@/server/actions/mfa";

type Material = { secret: string; uri: string; qr: string };

/**
 * Turning two-factor authentication on: the server makes a secret (shown here once, as a QR code and as text
 * to type), and a current code from the app confirms it.
 */
export function TotpEnrol() {
  const router = useRouter();
  const stepUp = useStepUp();
  const [material, setMaterial] = useState<Material | null>(null);
  const [startError, setStartError] = useState<ActionResult<unknown> | null>(null);
  const [starting, startTransitionStart] = useTransition();
  const confirm = useActionForm<ActionResult<{ enabledAt: Date | null }> | null>(confirmTotpAction, null);

  useEffect(() => {
    if (confirm.state?.ok) router.refresh();
  }, [confirm.state, router]);

  const begin = () =>
    startTransitionStart(async () => {
      setStartError(null);
      const result = await stepUp.withStepUp(() => beginTotpAction());
      if (result.ok) setMaterial(result.data);
      else setStartError(result);
    });

  if (!material)
    return (
      <div className="space-y-3">
        {stepUp.dialog}
        <FormMessage state={startError} />
        <Button type="button" onClick={begin} disabled={starting}>
          {starting ? "Preparing…" : "Set up two-factor authentication"}
        </Button>
      </div>
    );

  const errors = confirm.state && !confirm.state.ok ? confirm.state.fieldErrors : undefined;
  return (
    <div className="space-y-4">
      <ol className="list-decimal space-y-3 pl-5 text-sm text-gray-700">
        <li>
          In your authenticator app (1Password, Google Authenticator, Authy…), add an account by scanning this
          code, or type the secret key.
          <div className="mt-3 flex flex-wrap items-start gap-6">
            {/* biome-ignore lint/performance/noImgElement: a data URI rendered on the server, not an asset */}
            <img
              src={material.qr}
              alt="QR code for your authenticator app"
              width={176}
              height={176}
              className="rounded border border-gray-200"
            />
            <dl className="space-y-2">
              <dt className="font-medium text-gray-800">Secret key</dt>
              <dd>
                <code
                  data-testid="totp-secret"
                  className="select-all rounded bg-gray-100 px-2 py-1 font-mono"
                >
                  {material.secret}
                </code>
              </dd>
              <dd className="text-xs text-gray-500">Time-based, 6 digits, every 30 seconds (SHA-1).</dd>
            </dl>
          </div>
          <details className="mt-2 text-xs">
            <summary className="cursor-pointer">Show the setup link</summary>
            <code className="break-all">{material.uri}</code>
          </details>
        </li>
        <li>Enter the code the app shows now. The secret is not shown again after you leave this page.</li>
      </ol>
      <form
        onSubmit={confirm.onSubmit}
        className="flex max-w-sm flex-col gap-3"
        aria-label="Confirm two-factor"
      >
        <FormMessage state={confirm.state} />
        <Field label="Authentication code" htmlFor="totp-confirm-code" error={errors?.code}>
          <Input
            id="totp-confirm-code"
            name="code"
            inputMode="numeric"
            autoComplete="one-time-code"
            maxLength={7}
            required
          />
        </Field>
        <Button type="submit" disabled={confirm.pending}>
          {confirm.pending ? "Checking…" : "Turn on two-factor authentication"}
        </Button>
      </form>
    </div>
  );
}
