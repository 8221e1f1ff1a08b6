"use client";

import { type Errors, listErrors } from "@/components/destinations/form-parts";
import { Badge } from "@/components/ui/badge";
import { Checkbox } from "@/components/ui/checkbox";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { Select } from "@/components/ui/select";
import { Textarea } from "@/components/ui/textarea";

/** A config's settings as the form fills them when editing. */
export type SettingsValues = {
  syncIntervalMinutes: number;
  syncDirection: string;
  features: string[];
  clientId: string;
  scopes: string;
  mappingRules: unknown[];
  filterRules: unknown[];
  transformRules: unknown[];
};

function ErrorList({ id, errors }: { id: string; errors?: string[] }) {
  if (!errors) return null;
  return (
    <ul id={id} role="alert" className="text-xs text-red-700">
      {errors.map((m) => (
        <li key={m}>{m}</li>
      ))}
    </ul>
  );
}

/** How often and which way the config syncs. */
export function SyncInputs({
  prefix,
  directions,
  values,
  errors,
}: {
  prefix: string;
  directions: { value: string; label: string }[];
  values?: SettingsValues;
  errors: Errors;
}) {
  return (
    <>
      <Field
        label="Sync interval (minutes)"
        htmlFor={`${prefix}-interval`}
        error={errors?.["settings.syncIntervalMinutes"]}
        hint="From 5 to 1440 (once a day)"
      >
        <Input
          id={`${prefix}-interval`}
          name="settings.syncIntervalMinutes"
          type="number"
          inputMode="numeric"
          min={5}
          max={1440}
          step={1}
          defaultValue={values?.syncIntervalMinutes ?? 60}
          required
        />
      </Field>
      <Field
        label="Sync direction"
        htmlFor={`${prefix}-direction`}
        error={errors?.["settings.syncDirection"]}
      >
        <Select
          id={`${prefix}-direction`}
          name="settings.syncDirection"
          defaultValue={values?.syncDirection ?? "inbound"}
        >
          {directions.map((d) => (
            <option key={d.value} value={d.value}>
              {d.label}
            </option>
          ))}
        </Select>
      </Field>
    </>
  );
}

/** An OAuth config's app: its client id (not a secret) and the scopes it asks for. */
export function OAuthInputs({
  prefix,
  values,
  errors,
}: {
  prefix: string;
  values?: SettingsValues;
  errors: Errors;
}) {
  return (
    <>
      <Field label="Client ID" htmlFor={`${prefix}-client-id`} error={errors?.["settings.clientId"]}>
        <Input
          id={`${prefix}-client-id`}
          name="settings.clientId"
          defaultValue={values?.clientId ?? ""}
          autoComplete="off"
          maxLength={255}
          className="font-mono"
        />
      </Field>
      <Field
        label="Scopes (optional)"
        htmlFor={`${prefix}-scopes`}
        error={errors?.["settings.scopes"]}
        hint="Space-separated; the platform's defaults when empty"
      >
        <Input
          id={`${prefix}-scopes`}
          name="settings.scopes"
          defaultValue={values?.scopes ?? ""}
          autoComplete="off"
          maxLength={1000}
        />
      </Field>
    </>
  );
}

/** Vault fields the console writes itself (an OAuth grant's tokens): whether each is set, never an input. */
export function ManagedFields({
  fields,
}: {
  fields: { field: string; label: string; variable: string; hasValue: boolean | null }[];
}) {
  if (fields.length === 0) return null;
  return (
    <div className="space-y-1 sm:col-span-2">
      <p className="text-sm font-medium text-gray-800">Kept by the console from the OAuth grant</p>
      <ul className="space-y-1">
        {fields.map((f) => (
          <li key={f.field} className="flex flex-wrap items-center gap-2 text-sm">
            <span>{f.label}</span>
            {f.hasValue !== null ? (
              <Badge tone={f.hasValue ? "green" : "amber"}>{f.hasValue ? "set" : "not set"}</Badge>
            ) : null}
            <span className="text-xs text-gray-600">
              in <span className="font-mono">{f.variable}</span>
            </span>
          </li>
        ))}
      </ul>
    </div>
  );
}

/** The platform's feature toggles, as checkboxes by name. */
export function FeatureInputs({
  prefix,
  features,
  chosen,
  errors,
}: {
  prefix: string;
  features: { name: string; label: string }[];
  chosen: string[];
  errors: Errors;
}) {
  const errorId = `${prefix}-features-error`;
  const list = listErrors(errors, "features");
  return (
    <fieldset className="space-y-1 sm:col-span-2" aria-describedby={list ? errorId : undefined}>
      <legend className="text-sm font-medium text-gray-800">Features</legend>
      <div className="flex flex-wrap gap-x-4 gap-y-1">
        {features.map((f) => (
          <Checkbox
            key={f.name}
            id={`${prefix}-feature-${f.name}`}
            name="features"
            value={f.name}
            label={f.label}
            defaultChecked={chosen.includes(f.name)}
          />
        ))}
      </div>
      <ErrorList id={errorId} errors={list} />
    </fieldset>
  );
}

const RULES = [
  {
    name: "mappingRules",
    label: "Mapping rules",
    hint: 'JSON list, e.g. [{"from": "customer.email", "to": "contact.email"}]',
  },
  {
    name: "filterRules",
    label: "Filter rules",
    hint: 'JSON list; op is eq, neq, in or exists, e.g. [{"field": "status", "op": "eq", "value": "paid"}]',
  },
  {
    name: "transformRules",
    label: "Transform rules",
    hint: 'JSON list; op is trim, lowercase, uppercase, prefix, suffix or cents_to_units, e.g. [{"field": "amount", "op": "cents_to_units"}]',
  },
] as const;

/**
 * A rule group's errors in words a person can find: "Rule 2, to: contact.email is mapped twice"; a text that is
 * not a JSON list says so.
 */
export function ruleErrors(errors: Errors, group: string) {
  const out: string[] = [];
  for (const [key, messages] of Object.entries(errors ?? {})) {
    if (key === group) {
      for (const m of messages)
        out.push(m.startsWith("Invalid input") ? "Enter a JSON list of rules: [ … ], or leave it empty" : m);
      continue;
    }
    if (!key.startsWith(`${group}.`)) continue;
    const [index, ...field] = key.slice(group.length + 1).split(".");
    const where = /^\d+$/.test(index) ? `Rule ${Number(index) + 1}` : index;
    for (const m of messages) out.push(`${[where, ...field].join(", ")}: ${m}`);
  }
  return out.length > 0 ? [...new Set(out)] : undefined;
}

const asText = (rules: unknown[] | undefined) => (rules?.length ? JSON.stringify(rules, null, 2) : "");

/** Mapping, filter and transform rules as JSON text areas (blank: none), each with its errors. */
export function RuleInputs({
  prefix,
  values,
  errors,
}: {
  prefix: string;
  values?: SettingsValues;
  errors: Errors;
}) {
  return (
    <fieldset className="space-y-3 sm:col-span-2">
      <legend className="text-sm font-medium text-gray-800">Rules (optional)</legend>
      {RULES.map((r) => (
        <Field
          key={r.name}
          label={r.label}
          htmlFor={`${prefix}-${r.name}`}
          error={ruleErrors(errors, r.name)}
          hint={r.hint}
        >
          <Textarea
            id={`${prefix}-${r.name}`}
            name={r.name}
            rows={3}
            spellCheck={false}
            autoComplete="off"
            className="font-mono text-xs"
            defaultValue={asText(values?.[r.name])}
          />
        </Field>
      ))}
    </fieldset>
  );
}
