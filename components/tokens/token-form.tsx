"use client";

import { useActionForm } from "@/components/forms/use-action-form";
import { Button } from "@/components/ui/button";
import { Checkbox } from "@/components/ui/checkbox";
import { Field } from "@/components/ui/field";
import { FormMessage } from "@/components/ui/form-message";
import { Input } from "@/components/ui/input";
import { Select } from "@/components/ui/select";
import { ShownOnce } from "@/components/ui/shown-once";
import type { ActionResult } from "@/lib/errors";
import { formatInZone } from "@/lib/format";
import { DEFAULT_TOKEN_DAYS } from "@/lib/service-tokens";
import { createTokenAction } from "@/server/actions/tokens";

type Created = { name: string; token: string; environments: string[]; access: string; expiresAt: string };

/** Errors of a list field and of its items ("environments", "environments.0"). */
const listErrors = (errors: Record<string, string[]> | undefined, name: string) => {
  const all = Object.entries(errors ?? {})
    .filter(([k]) => k === name || k.startsWith(`${name}.`))
    .flatMap(([, v]) => v);
  return all.length > 0 ? [...new Set(all)] : undefined;
};

/** Creates a service token; the token is shown once, here, with how to use it. */
export function TokenForm({
  org,
  environments,
  maxDays,
  origin,
  timeZone,
}: {
  org: string;
  environments: string[];
  maxDays: number;
  origin: string;
  timeZone: string;
}) {
  const { state, onSubmit, pending } = useActionForm<ActionResult<Created> | null>(
    createTokenAction.bind(null, org),
    null,
  );
  const e = state && !state.ok ? state.fieldErrors : undefined;
  const envErrors = listErrors(e, "environments");
  return (
    <div className="max-w-3xl space-y-4">
      <form onSubmit={onSubmit} aria-label="Create token" className="grid gap-4 sm:grid-cols-2">
        <Field label="Name" htmlFor="t-name" error={e?.name} hint="What uses it, e.g. staging deploys">
          <Input id="t-name" name="name" autoComplete="off" required maxLength={100} />
        </Field>
        <Field label="Access" htmlFor="t-access" error={e?.access}>
          <Select id="t-access" name="access" defaultValue="read">
            <option value="read">read</option>
            <option value="read-write">read-write</option>
            <option value="client">client (destinations only)</option>
          </Select>
        </Field>
        <fieldset
          className="space-y-1 sm:col-span-2"
          aria-describedby={envErrors ? "t-envs-error" : undefined}
        >
          <legend className="text-sm font-medium text-gray-800">Environments</legend>
          <div className="flex flex-wrap gap-x-4 gap-y-1">
            {environments.map((name) => (
              <Checkbox key={name} id={`t-env-${name}`} name="environments" value={name} label={name} />
            ))}
          </div>
          {envErrors ? (
            <ul id="t-envs-error" role="alert" className="text-xs text-red-700">
              {envErrors.map((m) => (
                <li key={m}>{m}</li>
              ))}
            </ul>
          ) : null}
        </fieldset>
        <Field
          label="Expires in (days)"
          htmlFor="t-days"
          error={e?.expiresInDays}
          hint={`1 to ${maxDays}; shorter is safer`}
        >
          <Input
            id="t-days"
            name="expiresInDays"
            type="number"
            min={1}
            max={maxDays}
            defaultValue={Math.min(DEFAULT_TOKEN_DAYS, maxDays)}
            required
          />
        </Field>
        <Field
          label="Address ranges (optional)"
          htmlFor="t-cidrs"
          error={listErrors(e, "allowedCidrs")}
          hint="Only from these, e.g. 10.20.0.0/16; comma-separated"
        >
          <Input id="t-cidrs" name="allowedCidrs" autoComplete="off" />
        </Field>
        <Field
          label="Name prefix (optional)"
          htmlFor="t-prefix"
          error={e?.namePrefix}
          hint="Only variables whose name starts so"
        >
          <Input id="t-prefix" name="namePrefix" autoComplete="off" />
        </Field>
        <Field label="Tag (optional)" htmlFor="t-tag" error={e?.tag} hint="Only variables with this tag">
          <Input id="t-tag" name="tag" autoComplete="off" />
        </Field>
        <div className="sm:col-span-2">
          <Button type="submit" disabled={pending}>
            {pending ? "Creating…" : "Create token"}
          </Button>
        </div>
      </form>
      {state && !state.ok ? <FormMessage state={state} /> : null}
      {state?.ok ? (
        <div className="space-y-2">
          <ShownOnce region="Token created" label="Service token" noun="token" value={state.data.token}>
            <strong>{state.data.name}</strong>: {state.data.access} on {state.data.environments.join(", ")},
            valid until {formatInZone(new Date(state.data.expiresAt), timeZone)}. Copy it now: it is shown
            only once.
          </ShownOnce>
          <pre className="overflow-x-auto rounded-md bg-gray-900 p-3 text-xs text-gray-100">
            {`curl -H "Authorization: Bearer $RINGBEARER_TOKEN" \\\n  ${origin}/api/v1/environments/${state.data.environments[0]}/values?format=dotenv`}
          </pre>
        </div>
      ) : null}
    </div>
  );
}
