"use client";

import { useActionForm } from "@/components/forms/use-action-form";
import { Button } from "@/components/ui/button";
import { Checkbox } from "@/components/ui/checkbox";
import { Field } from "@/components/ui/field";
import { FormMessage } from "@/components/ui/form-message";
import { Select } from "@/components/ui/select";
import type { ActionResult } from "@/lib/errors";
import { decideCliLoginAction } from "@/server/actions/tokens";

type Decided = { approved: boolean; client: string };

/**
 * Approves or denies a `ringbearer login` whose code the person entered: the environments (those they may read are
 * offered) and read or read-write. The CLI's next poll receives the token; nothing secret is shown here.
 */
export function CliLoginForm({
  org,
  code,
  environments,
}: {
  org: string;
  code: string;
  environments: string[];
}) {
  const { state, onSubmit, pending } = useActionForm<ActionResult<Decided> | null>(
    decideCliLoginAction.bind(null, org),
    null,
  );
  if (state?.ok)
    return (
      <p role="status" className="rounded-md bg-green-50 px-3 py-2 text-sm text-green-800">
        {state.data.approved
          ? `Approved. ${state.data.client} receives its token within a few seconds; you can close this page.`
          : `Denied. ${state.data.client} gets no token.`}
      </p>
    );
  const e = state && !state.ok ? state.fieldErrors : undefined;
  return (
    <form onSubmit={onSubmit} aria-label="Approve CLI login" className="max-w-xl space-y-4">
      <input type="hidden" name="code" value={code} />
      <fieldset className="space-y-1" aria-describedby={e?.environments ? "cli-envs-error" : undefined}>
        <legend className="text-sm font-medium text-gray-800">Environments it may use</legend>
        <div className="flex flex-wrap gap-x-4 gap-y-1">
          {environments.map((name) => (
            <Checkbox key={name} id={`cli-env-${name}`} name="environments" value={name} label={name} />
          ))}
        </div>
        {e?.environments ? (
          <ul id="cli-envs-error" role="alert" className="text-xs text-red-700">
            {e.environments.map((m) => (
              <li key={m}>{m}</li>
            ))}
          </ul>
        ) : null}
      </fieldset>
      <Field
        label="Access"
        htmlFor="cli-access"
        error={e?.access}
        hint="read-write lets it run ringbearer set"
      >
        <Select id="cli-access" name="access" defaultValue="read">
          <option value="read">read</option>
          <option value="read-write">read-write</option>
        </Select>
      </Field>
      <div className="flex gap-3">
        <Button type="submit" name="decision" value="approve" disabled={pending}>
          Approve
        </Button>
        <Button type="submit" name="decision" value="deny" variant="secondary" disabled={pending}>
          Deny
        </Button>
      </div>
      {state && !state.ok ? <FormMessage state={state} /> : null}
    </form>
  );
}
