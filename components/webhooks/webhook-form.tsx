"use client";

import { useActionForm } from "@/components/forms/use-action-form";
import { Button } from "@/components/ui/button";
import { Checkbox } from "@/components/ui/checkbox";
import { Field } from "@/components/ui/field";
import { FormMessage } from "@/components/ui/form-message";
import { Input } from "@/components/ui/input";
import { ShownOnce } from "@/components/ui/shown-once";
import type { ActionResult } from "@/lib/errors";
import { WEBHOOK_EVENT_TYPES } from "@/lib/webhooks/events";
import { createWebhookAction } from "@/server/actions/webhooks";

type Created = { id: string; url: string; secret: string };

/** Errors of a list field and of its items ("events", "events.0"). */
const listErrors = (errors: Record<string, string[]> | undefined, name: string) => {
  const all = Object.entries(errors ?? {})
    .filter(([k]) => k === name || k.startsWith(`${name}.`))
    .flatMap(([, v]) => v);
  return all.length > 0 ? [...new Set(all)] : undefined;
};

function Choices({
  legend,
  name,
  values,
  errors,
}: {
  legend: string;
  name: string;
  values: readonly string[];
  errors?: string[];
}) {
  const errorId = `w-${name}-error`;
  return (
    <fieldset className="space-y-1 sm:col-span-2" aria-describedby={errors ? errorId : undefined}>
      <legend className="text-sm font-medium text-gray-800">{legend}</legend>
      <div className="flex flex-wrap gap-x-4 gap-y-1">
        {values.map((v) => (
          <Checkbox key={v} id={`w-${name}-${v}`} name={name} value={v} label={v} />
        ))}
      </div>
      {errors ? (
        <ul id={errorId} role="alert" className="text-xs text-red-700">
          {errors.map((m) => (
            <li key={m}>{m}</li>
          ))}
        </ul>
      ) : null}
    </fieldset>
  );
}

/** Adds a webhook endpoint; its signing secret is shown once, here. */
export function WebhookForm({ org, environments }: { org: string; environments: string[] }) {
  const { state, onSubmit, pending } = useActionForm<ActionResult<Created> | null>(
    createWebhookAction.bind(null, org),
    null,
  );
  const e = state && !state.ok ? state.fieldErrors : undefined;
  return (
    <div className="max-w-3xl space-y-4">
      <form onSubmit={onSubmit} aria-label="Add endpoint" className="grid gap-4 sm:grid-cols-2">
        <Field
          label="URL"
          htmlFor="w-url"
          error={e?.url}
          hint="https, e.g. https://hooks.example.com/ringbearer"
        >
          <Input id="w-url" name="url" type="url" autoComplete="off" required maxLength={2000} />
        </Field>
        <Field label="Description (optional)" htmlFor="w-description" error={e?.description}>
          <Input id="w-description" name="description" autoComplete="off" maxLength={200} />
        </Field>
        <Choices
          legend="Events"
          name="events"
          values={WEBHOOK_EVENT_TYPES}
          errors={listErrors(e, "events")}
        />
        <Choices
          legend="Environments (none chosen: all)"
          name="environments"
          values={environments}
          errors={listErrors(e, "environments")}
        />
        <div className="sm:col-span-2">
          <Button type="submit" disabled={pending}>
            {pending ? "Adding…" : "Add endpoint"}
          </Button>
        </div>
      </form>
      {state && !state.ok ? <FormMessage state={state} /> : null}
      {state?.ok ? (
        <ShownOnce region="Endpoint added" label="Signing secret" noun="secret" value={state.data.secret}>
          Events for <strong>{state.data.url}</strong> are signed with this secret (Standard Webhooks). Copy
          it into the receiver now: it is shown only once.
        </ShownOnce>
      ) : null}
    </div>
  );
}
