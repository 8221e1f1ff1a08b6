"use client";

import { useRouter } from "next/navigation";
import { signIn } from "next-auth/react";
import { type FormEvent, useState, useTransition } from "react";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import type { ActionResult } from "@/lib/errors";
import { acceptWithPasswordAction } from "@/server/actions/invitations";
import { refusal } from "./refusal";

type Result = ActionResult<{ slug: string; email: string }>;

/**
 * The signed-out invitee's one form, the same whether or not their email already has an account: a name and
 * a password create the account, or prove the existing one (like a sign-in). Then the browser signs in with
 * the password the user just typed, which stays in this browser, and opens the organization. If signing in
 * fails (e.g. a second factor or the sign-in limit), the login page takes over.
 */
export function PasswordAcceptForm({ token, email }: { token: string; email: string }) {
  const router = useRouter();
  const [state, setState] = useState<Result | null>(null);
  const [pending, startTransition] = useTransition();
  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const password = String(form.get("password") ?? "");
    startTransition(async () => {
      const result = await acceptWithPasswordAction(null, form);
      setState(result);
      if (!result.ok) return;
      const target = `/o/${result.data.slug}`;
      const signedIn = await signIn("credentials", { email, password, redirect: false });
      router.push(
        signedIn?.ok && !signedIn.error ? target : `/login?callbackUrl=${encodeURIComponent(target)}`,
      );
      router.refresh();
    });
  };
  const e = state && !state.ok ? state.fieldErrors : undefined;
  return (
    <form onSubmit={onSubmit} aria-label="Accept the invitation" className="space-y-4">
      <input type="hidden" name="token" value={token} />
      {state && !state.ok && !(e?.name || e?.password || e?.confirm) ? (
        <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-800">
          {refusal(state)}
        </p>
      ) : null}
      {state?.ok ? (
        <p role="status" className="rounded-md bg-green-50 px-3 py-2 text-sm text-green-800">
          Invitation accepted. Signing you in…
        </p>
      ) : null}
      <Field label="Email" htmlFor="n-email">
        <Input
          id="n-email"
          value={email}
          readOnly
          autoComplete="username"
          className="bg-gray-50 text-gray-700"
        />
      </Field>
      <Field label="Your name" htmlFor="n-name" error={e?.name}>
        <Input id="n-name" name="name" autoComplete="name" required maxLength={255} />
      </Field>
      <Field
        label="Password"
        htmlFor="n-password"
        hint="At least 12 characters. If this email already has a Ringbearer account, use its password."
        error={e?.password}
      >
        <Input id="n-password" name="password" type="password" autoComplete="new-password" required />
      </Field>
      <Field label="Confirm password" htmlFor="n-confirm" error={e?.confirm}>
        <Input id="n-confirm" name="confirm" type="password" autoComplete="new-password" required />
      </Field>
      <Button type="submit" className="w-full" disabled={pending || state?.ok === true}>
        {pending ? "Accepting…" : "Accept invitation"}
      </Button>
    </form>
  );
}
