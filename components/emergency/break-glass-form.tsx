"use client";

import { useRouter } from "next/navigation";
import { useEffect } from "react";
import { useStepUp } from "@/components/auth/use-step-up";
import { useActionForm } from "@/components/forms/use-action-form";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { FormMessage } from "@/components/ui/form-message";
import { Select } from "@/components/ui/select";
import { Textarea } from "@/components/ui/textarea";
import type { ActionResult } from "@/lib/errors";
import { openEmergencyAction } from "@/server/actions/emergency";

type State = ActionResult<{ id: string; environment: string; expiresAt: Date }> | null;

/** Break glass: pick the locked environment, say why, choose how long (at most an hour). */
export function BreakGlassForm({
  org,
  environments,
}: {
  org: string;
  environments: { id: string; name: string }[];
}) {
  const router = useRouter();
  const stepUp = useStepUp();
  // Opening emergency access asks for a recent re-authentication; the dialog appears, then it retries once.
  const { state, onSubmit, pending } = useActionForm<State>(
    (prev, form) => stepUp.withStepUp(() => openEmergencyAction(org, prev, form)),
    null,
  );
  useEffect(() => {
    if (state?.ok) router.refresh();
  }, [state, router]);
  const errors = state && !state.ok ? state.fieldErrors : undefined;
  return (
    <>
      {stepUp.dialog}
      <form onSubmit={onSubmit} className="max-w-xl space-y-4" aria-label="Break glass">
        <FormMessage
          state={state}
          success="Emergency access is open. Your changes apply now and will be reviewed."
        />
        <Field label="Environment" htmlFor="bg-env" error={errors?.environmentId}>
          <Select id="bg-env" name="environmentId" defaultValue={environments[0]?.id}>
            {environments.map((e) => (
              <option key={e.id} value={e.id}>
                {e.name}
              </option>
            ))}
          </Select>
        </Field>
        <Field label="Reason" htmlFor="bg-reason" error={errors?.reason}>
          <Textarea
            id="bg-reason"
            name="reason"
            rows={3}
            placeholder="Stripe webhook secret rotated by Stripe; checkout failing for tonight's weddings"
          />
        </Field>
        <Field label="For how long" htmlFor="bg-minutes" error={errors?.minutes}>
          <Select id="bg-minutes" name="minutes" defaultValue="30">
            <option value="15">15 minutes</option>
            <option value="30">30 minutes</option>
            <option value="60">60 minutes</option>
          </Select>
        </Field>
        <Button type="submit" variant="danger" disabled={pending}>
          {pending ? "Opening…" : "Break glass"}
        </Button>
      </form>
    </>
  );
}
