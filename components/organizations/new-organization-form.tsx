"use client";

import { useRouter } from "next/navigation";
import { useEffect } from "react";
import { useActionForm } from "@/components/forms/use-action-form";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { FormMessage } from "@/components/ui/form-message";
import { Input } from "@/components/ui/input";
import type { ActionResult } from "@/lib/errors";
import { createOrganizationAction } from "@/server/actions/organizations";
import { TimeZoneField } from "./time-zone-field";

type State = ActionResult<{ slug: string }> | null;

/** A signed-in user adds an organization they own, and goes to it. */
export function NewOrganizationForm({ zones }: { zones: string[] }) {
  const router = useRouter();
  const { state, onSubmit, pending } = useActionForm<State>(createOrganizationAction, null);
  useEffect(() => {
    if (state?.ok) router.push(`/o/${state.data.slug}`);
  }, [state, router]);
  const e = state && !state.ok ? state.fieldErrors : undefined;
  return (
    <form onSubmit={onSubmit} aria-label="New organization" className="space-y-4">
      <FormMessage state={state} success="Organization created." />
      <Field label="Organization" htmlFor="o-organization" error={e?.organization}>
        <Input id="o-organization" name="organization" autoComplete="organization" required maxLength={255} />
      </Field>
      <TimeZoneField zones={zones} error={e?.timeZone} />
      <Button type="submit" disabled={pending || state?.ok === true}>
        {pending ? "Creating…" : "Create organization"}
      </Button>
    </form>
  );
}
