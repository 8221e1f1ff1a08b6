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
import type { ActionResult } from "@/lib/errors";
import { createEnvironmentAction, updateEnvironmentAction } from "@/server/actions/environments";

type Environment = {
  id: string;
  version: number;
  name: string;
  displayName: string;
  description: string | null;
  environmentType: string;
  weddingDayProtection: boolean;
  deploymentBranch: string | null;
  deploymentUrl: string | null;
};

const TYPES = ["development", "testing", "staging", "production", "disaster_recovery"] as const;

export function EnvironmentForm({ org, environment }: { org: string; environment?: Environment }) {
  const router = useRouter();
  type State = ActionResult<{ id?: string; status?: string }> | null;
  const action: (prev: State, form: FormData) => Promise<State> = environment
    ? updateEnvironmentAction.bind(null, org)
    : createEnvironmentAction.bind(null, org);
  const { state, onSubmit, pending } = useActionForm<State>(action, null);
  const errors = state && !state.ok ? (state.fieldErrors ?? {}) : {};
  useEffect(() => {
    if (state?.ok && !wasRequested(state)) router.push(`/o/${org}/environments`);
  }, [state, org, router]);
  return (
    <form
      onSubmit={onSubmit}
      className="space-y-4"
      noValidate
      aria-label={environment ? "Edit environment" : "New environment"}
    >
      {environment ? (
        <>
          <input type="hidden" name="id" value={environment.id} />
          <input type="hidden" name="version" value={environment.version} />
        </>
      ) : null}
      <FormMessage state={state} />
      <SentForApproval org={org} state={state} />
      <div className="grid gap-4 sm:grid-cols-2">
        <Field label="Name" htmlFor="env-name" error={errors.name} hint="lower case, e.g. qa">
          <Input
            id="env-name"
            name="name"
            defaultValue={environment?.name}
            autoComplete="off"
            className="font-mono"
          />
        </Field>
        <Field label="Display name" htmlFor="env-displayName" error={errors.displayName}>
          <Input id="env-displayName" name="displayName" defaultValue={environment?.displayName} />
        </Field>
        <Field label="Type" htmlFor="env-type" error={errors.environmentType}>
          <Select
            id="env-type"
            name="environmentType"
            defaultValue={environment?.environmentType ?? "development"}
          >
            {TYPES.map((t) => (
              <option key={t} value={t}>
                {t.replace("_", " ")}
              </option>
            ))}
          </Select>
        </Field>
        <Field label="Deployment branch" htmlFor="env-branch" error={errors.deploymentBranch}>
          <Input id="env-branch" name="deploymentBranch" defaultValue={environment?.deploymentBranch ?? ""} />
        </Field>
        <Field label="Deployment URL" htmlFor="env-url" error={errors.deploymentUrl}>
          <Input
            id="env-url"
            name="deploymentUrl"
            type="url"
            defaultValue={environment?.deploymentUrl ?? ""}
          />
        </Field>
        <Field label="Description" htmlFor="env-description" error={errors.description}>
          <Input id="env-description" name="description" defaultValue={environment?.description ?? ""} />
        </Field>
      </div>
      <div className="flex flex-wrap gap-6">
        <Checkbox
          name="weddingDayProtection"
          label="Wedding-day protection (read-only during wedding hours)"
          defaultChecked={environment?.weddingDayProtection}
        />
      </div>
      {environment ? (
        <Field
          label="Reason"
          htmlFor="env-reason"
          error={errors.reason}
          hint="Needed when you change the type or wedding-day protection: a reviewer approves that."
        >
          <Input id="env-reason" name="reason" autoComplete="off" maxLength={1000} />
        </Field>
      ) : null}
      <Button type="submit" disabled={pending}>
        {pending ? "Saving…" : environment ? "Save environment" : "Create environment"}
      </Button>
    </form>
  );
}
