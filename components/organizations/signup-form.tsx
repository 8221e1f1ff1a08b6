"use client";

import { useRouter } from "next/navigation";
import { signIn } from "next-auth/react";
import { type FormEvent, useState, useTransition } from "react";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { FormMessage } from "@/components/ui/form-message";
import { Input } from "@/components/ui/input";
import type { ActionResult } from "@/lib/errors";
import { signUpAction } from "@/server/actions/organizations";
import { TimeZoneField } from "./time-zone-field";

type Result = ActionResult<{ slug: string; email: string }>;

/** Open sign-up: the account and its organization; then the new account is signed in and lands on it. */
export function SignUpForm({ zones }: { zones: string[] }) {
  const router = useRouter();
  const [state, setState] = useState<Result | null>(null);
  const [pending, startTransition] = useTransition();
  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const password = String(form.get("password") ?? "");
    startTransition(async () => {
      const result = await signUpAction(null, form);
      setState(result);
      if (!result.ok) return;
      const target = `/o/${result.data.slug}`;
      const signedIn = await signIn("credentials", { email: result.data.email, password, redirect: false });
      router.push(
        signedIn?.ok && !signedIn.error ? target : `/login?callbackUrl=${encodeURIComponent(target)}`,
      );
      router.refresh();
    });
  };
  const e = state && !state.ok ? state.fieldErrors : undefined;
  return (
    <form onSubmit={onSubmit} aria-label="Create an account" className="space-y-4">
      <FormMessage state={state} success="Account created. Signing you in…" />
      <Field label="Email" htmlFor="s-email" error={e?.email}>
        <Input id="s-email" name="email" type="email" autoComplete="username" required maxLength={320} />
      </Field>
      <Field label="Your name" htmlFor="s-name" error={e?.name}>
        <Input id="s-name" name="name" autoComplete="name" required maxLength={255} />
      </Field>
      <Field label="Password" htmlFor="s-password" hint="At least 12 characters" error={e?.password}>
        <Input id="s-password" name="password" type="password" autoComplete="new-password" required />
      </Field>
      <Field label="Confirm password" htmlFor="s-confirm" error={e?.confirm}>
        <Input id="s-confirm" name="confirm" type="password" autoComplete="new-password" required />
      </Field>
      <Field
        label="Organization"
        htmlFor="o-organization"
        hint="Your business, as your team will see it"
        error={e?.organization}
      >
        <Input id="o-organization" name="organization" autoComplete="organization" required maxLength={255} />
      </Field>
      <TimeZoneField zones={zones} error={e?.timeZone} />
      <Button type="submit" className="w-full" disabled={pending || state?.ok === true}>
        {pending ? "Creating…" : "Create account"}
      </Button>
    </form>
  );
}
