"use client";

import { SentForApproval, wasRequested } from "@/components/approvals/sent-for-approval";
import { ShownOnceSecret } from "@/components/drift/shown-once-secret";
import { useActionForm } from "@/components/forms/use-action-form";
import { Button } from "@/components/ui/button";
import { Checkbox } from "@/components/ui/checkbox";
import { Field } from "@/components/ui/field";
import { FormMessage } from "@/components/ui/form-message";
import { Input } from "@/components/ui/input";
import { Select } from "@/components/ui/select";
import type { ActionResult } from "@/lib/errors";
import { createTargetAction } from "@/server/actions/drift";

type State = ActionResult<{ status: string; secret: string | null }> | null;

/** Adds a sync target to an environment (owners and admins); a generated receiver secret is shown once. */
export function TargetForm({
  org,
  environments,
}: {
  org: string;
  environments: { id: string; name: string }[];
}) {
  const { state, onSubmit, pending } = useActionForm<State>(createTargetAction.bind(null, org), null);
  const e = state && !state.ok ? state.fieldErrors : undefined;
  return (
    <form onSubmit={onSubmit} aria-label="Add a sync target" className="grid max-w-3xl grid-cols-2 gap-4">
      <div className="col-span-2 space-y-2">
        {wasRequested(state) ? null : <FormMessage state={state} success="Target added." />}
        <SentForApproval org={org} state={state} />
        {state?.ok && state.data.secret ? (
          <ShownOnceSecret secret={state.data.secret} testId="target-secret" />
        ) : null}
      </div>
      <Field label="Environment" htmlFor="t-env" error={e?.environmentId}>
        <Select id="t-env" name="environmentId">
          {environments.map((env) => (
            <option key={env.id} value={env.id}>
              {env.name}
            </option>
          ))}
        </Select>
      </Field>
      <Field label="Target name" htmlFor="t-name" error={e?.name} hint="e.g. web-1">
        <Input id="t-name" name="name" autoComplete="off" />
      </Field>
      <Field label="Kind" htmlFor="t-kind" error={e?.kind}>
        <Select id="t-kind" name="kind" defaultValue="http">
          <option value="http">HTTP receiver (npm run target)</option>
          <option value="dotenv_file">.env file on this server</option>
        </Select>
      </Field>
      <Field
        label="Location"
        htmlFor="t-location"
        error={e?.location}
        hint="The receiver's URL, or a path in your organization's folder on this server, e.g. web/production.env"
      >
        <Input id="t-location" name="location" autoComplete="off" />
      </Field>
      <Field
        label="Shared secret"
        htmlFor="t-secret"
        error={e?.secret}
        hint="Optional: at least 32 characters; left empty, one is generated"
      >
        <Input id="t-secret" name="secret" type="password" autoComplete="off" />
      </Field>
      <Field label="Scan every (minutes)" htmlFor="t-interval" error={e?.scanIntervalMinutes}>
        <Input
          id="t-interval"
          name="scanIntervalMinutes"
          type="number"
          defaultValue={15}
          min={1}
          max={1440}
        />
      </Field>
      <Field
        label="Reason"
        htmlFor="t-reason"
        error={e?.reason}
        hint="Needed for a production target: a reviewer approves where production values go"
      >
        <Input id="t-reason" name="reason" autoComplete="off" maxLength={1000} />
      </Field>
      <div className="col-span-2 flex flex-col gap-1">
        <Checkbox
          name="autoPush"
          label="Push automatically after each change (within a minute; never during wedding hours)"
        />
        <Checkbox
          name="deleteUnmanaged"
          label="Delete keys the console did not push (off: they are never deleted)"
        />
      </div>
      <div className="col-span-2">
        <Button type="submit" disabled={pending}>
          {pending ? "Adding…" : "Add target"}
        </Button>
      </div>
    </form>
  );
}
