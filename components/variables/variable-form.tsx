"use client";

import { useRouter } from "next/navigation";
import { useEffect } from "react";
import { SentForApproval, wasRequested } from "@/components/approvals/sent-for-approval";
import { useActionForm } from "@/components/forms/use-action-form";
import { Button } from "@/components/ui/button";
import { Checkbox } from "@/components/ui/checkbox";
import { Field } from "@/components/ui/field";
import { FormMessage } from "@/components/ui/form-message";
import { Input } from "@/components/ui/input";
import { Select } from "@/components/ui/select";
import { Textarea } from "@/components/ui/textarea";
import type { ActionResult } from "@/lib/errors";
import { createVariableAction, updateVariableAction } from "@/server/actions/variables";

type Variable = {
  id: string;
  version: number;
  name: string;
  displayName: string | null;
  description: string | null;
  variableType: string;
  securityClassification: string;
  isRequired: boolean;
  isWeddingCritical: boolean;
  validationPattern: string | null;
  rotationIntervalDays: number | null;
  tags: string[];
};

const TYPES = [
  ["api_key", "API key"],
  ["secret", "Secret"],
  ["database_url", "Database URL"],
  ["feature_flag", "Feature flag"],
  ["configuration", "Configuration"],
] as const;
const CLASSIFICATIONS = [
  ["public", "Public"],
  ["internal", "Internal"],
  ["confidential", "Confidential"],
  ["wedding_day_critical", "Wedding-day critical"],
] as const;

type State = ActionResult<{ id?: string; status?: string }> | null;

/** Create or edit a variable's metadata; field errors come back from the server's zod parse. */
export function VariableForm({ org, variable }: { org: string; variable?: Variable }) {
  const router = useRouter();
  const action: (prev: State, form: FormData) => Promise<State> = variable
    ? updateVariableAction.bind(null, org)
    : createVariableAction.bind(null, org);
  const { state, onSubmit, pending } = useActionForm<State>(action, null);
  const errors = state && !state.ok ? (state.fieldErrors ?? {}) : {};

  useEffect(() => {
    if (state?.ok && !variable && state.data.id) router.push(`/o/${org}/variables/${state.data.id}`);
  }, [state, variable, org, router]);

  return (
    <form
      onSubmit={onSubmit}
      className="space-y-4"
      noValidate
      key={variable ? `${variable.id}-${variable.version}` : undefined}
    >
      {variable ? (
        <>
          <input type="hidden" name="id" value={variable.id} />
          <input type="hidden" name="version" value={variable.version} />
        </>
      ) : null}
      <FormMessage state={state} success={variable && !wasRequested(state) ? "Saved." : undefined} />
      <SentForApproval org={org} state={state} />
      <div className="grid gap-4 sm:grid-cols-2">
        <Field
          label="Name"
          htmlFor="name"
          error={errors.name}
          hint="UPPER_SNAKE_CASE, e.g. STRIPE_SECRET_KEY"
        >
          <Input
            id="name"
            name="name"
            defaultValue={variable?.name}
            required
            autoComplete="off"
            className="font-mono"
          />
        </Field>
        <Field label="Display name" htmlFor="displayName" error={errors.displayName}>
          <Input id="displayName" name="displayName" defaultValue={variable?.displayName ?? ""} />
        </Field>
        <Field label="Type" htmlFor="variableType" error={errors.variableType}>
          <Select id="variableType" name="variableType" defaultValue={variable?.variableType ?? "secret"}>
            {TYPES.map(([v, l]) => (
              <option key={v} value={v}>
                {l}
              </option>
            ))}
          </Select>
        </Field>
        <Field label="Classification" htmlFor="securityClassification" error={errors.securityClassification}>
          <Select
            id="securityClassification"
            name="securityClassification"
            defaultValue={variable?.securityClassification ?? "confidential"}
          >
            {CLASSIFICATIONS.map(([v, l]) => (
              <option key={v} value={v}>
                {l}
              </option>
            ))}
          </Select>
        </Field>
      </div>
      <Field label="Description" htmlFor="description" error={errors.description}>
        <Textarea id="description" name="description" rows={2} defaultValue={variable?.description ?? ""} />
      </Field>
      <div className="grid gap-4 sm:grid-cols-2">
        <Field
          label="Validation pattern"
          htmlFor="validationPattern"
          error={errors.validationPattern}
          hint="Optional regular expression every value must match"
        >
          <Input
            id="validationPattern"
            name="validationPattern"
            defaultValue={variable?.validationPattern ?? ""}
            className="font-mono"
          />
        </Field>
        <Field label="Tags" htmlFor="tags" error={errors.tags} hint="Comma-separated, e.g. payments, stripe">
          <Input id="tags" name="tags" defaultValue={variable?.tags.join(", ") ?? ""} />
        </Field>
        <Field
          label="Rotate every (days)"
          htmlFor="rotationIntervalDays"
          error={errors.rotationIntervalDays}
          hint="Optional: values older than this show as due for rotation"
        >
          <Input
            id="rotationIntervalDays"
            name="rotationIntervalDays"
            inputMode="numeric"
            autoComplete="off"
            defaultValue={variable?.rotationIntervalDays?.toString() ?? ""}
          />
        </Field>
      </div>
      <div className="flex flex-wrap gap-6">
        <Checkbox
          name="isRequired"
          label="Required in every environment"
          defaultChecked={variable?.isRequired}
        />
        <Checkbox
          name="isWeddingCritical"
          label="Wedding-critical"
          defaultChecked={variable?.isWeddingCritical}
        />
      </div>
      {variable ? (
        <Field
          label="Reason"
          htmlFor="variable-reason"
          error={errors.reason}
          hint="Needed when you lower the classification or remove wedding-critical: a reviewer approves that."
        >
          <Input id="variable-reason" name="reason" autoComplete="off" maxLength={1000} />
        </Field>
      ) : null}
      <Button type="submit" disabled={pending}>
        {pending ? "Saving…" : variable ? "Save changes" : "Create variable"}
      </Button>
    </form>
  );
}
