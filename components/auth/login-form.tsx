"use client";

import type { FormEvent } from "react";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";

type Props = {
  /** Resolves to whether the password may stay typed (it was right; only the code is missing or wrong). */
  action: (form: FormData) => Promise<{ keepPassword: boolean }>;
  error?: string;
  /** The password was right and the account has two-factor authentication: ask for the code. */
  needsCode?: boolean;
  pending?: boolean;
  callbackUrl?: string;
};

/**
 * Email and password, then (only when the server asks) the authentication code. A refused password is
 * cleared; the email, and a right password waiting for its code, are kept.
 */
export function LoginForm({ action, error, needsCode, pending, callbackUrl }: Props) {
  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = event.currentTarget;
    void action(new FormData(form)).then(({ keepPassword }) => {
      const password = form.elements.namedItem("password");
      if (!keepPassword && password instanceof HTMLInputElement) password.value = "";
    });
  };
  return (
    <form onSubmit={onSubmit} className="space-y-4">
      <input type="hidden" name="callbackUrl" value={callbackUrl ?? "/"} />
      {error ? (
        <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-800">
          {error}
        </p>
      ) : null}
      <div className="space-y-1">
        <label htmlFor="email" className="text-sm font-medium">
          Email
        </label>
        <Input id="email" name="email" type="email" autoComplete="username" required />
      </div>
      <div className="space-y-1">
        <label htmlFor="password" className="text-sm font-medium">
          Password
        </label>
        <Input id="password" name="password" type="password" autoComplete="current-password" required />
      </div>
      {needsCode ? (
        <div className="space-y-1">
          <label htmlFor="totp" className="text-sm font-medium">
            Authentication code
          </label>
          <p id="totp-hint" role="status" className="text-xs text-gray-600">
            Two-factor authentication is on for this account: enter the 6-digit code from your authenticator
            app.
          </p>
          <Input
            id="totp"
            name="totp"
            inputMode="numeric"
            autoComplete="one-time-code"
            pattern="[0-9 ]{6,7}"
            maxLength={7}
            aria-describedby="totp-hint"
            required
            autoFocus
          />
        </div>
      ) : null}
      <Button type="submit" className="w-full" disabled={pending}>
        {pending ? "Signing in…" : "Sign in"}
      </Button>
    </form>
  );
}
