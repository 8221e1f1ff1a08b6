"use client";

import { useState } from "react";
import { Badge } from "@/components/ui/badge";
import { Checkbox } from "@/components/ui/checkbox";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { Select } from "@/components/ui/select";
import type { SettingField } from "./type-specs";

export type Errors = Record<string, string[]> | undefined;

/** Errors of a list field and of its items ("requiredConsent", "requiredConsent.0"). */
export const listErrors = (errors: Errors, name: string) => {
  const all = Object.entries(errors ?? {})
    .filter(([k]) => k === name || k.startsWith(`${name}.`))
    .flatMap(([, v]) => v);
  return all.length > 0 ? [...new Set(all)] : undefined;
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

/** A type's plain settings, as its schema describes them; `values` fills them when editing. */
export function SettingsInputs({
  prefix,
  fields,
  values,
  errors,
}: {
  prefix: string;
  fields: SettingField[];
  values?: Record<string, unknown>;
  errors: Errors;
}) {
  const text = fields.filter((f) => f.kind !== "checkbox");
  const boxes = fields.filter((f) => f.kind === "checkbox");
  return (
    <>
      {text.map((f) => {
        const id = `${prefix}-s-${f.name}`;
        const value = values?.[f.name];
        const label = f.required ? f.label : `${f.label} (optional)`;
        return (
          <Field key={f.name} label={label} htmlFor={id} error={errors?.[`settings.${f.name}`]} hint={f.hint}>
            {f.kind === "select" ? (
              <Select
                id={id}
                name={`settings.${f.name}`}
                defaultValue={typeof value === "string" ? value : f.defaultValue}
              >
                {f.options?.map((o) => (
                  <option key={o} value={o}>
                    {o}
                  </option>
                ))}
              </Select>
            ) : (
              <Input
                id={id}
                name={`settings.${f.name}`}
                defaultValue={typeof value === "string" ? value : ""}
                required={f.required}
                autoComplete="off"
                maxLength={255}
              />
            )}
          </Field>
        );
      })}
      {boxes.length > 0 ? (
        <div className="flex flex-col gap-1 sm:col-span-2">
          {boxes.map((f) => (
            <div key={f.name}>
              <Checkbox
                id={`${prefix}-s-${f.name}`}
                name={`settings.${f.name}`}
                label={f.label}
                defaultChecked={values?.[f.name] === true}
              />
              <ErrorList id={`${prefix}-s-${f.name}-error`} errors={errors?.[`settings.${f.name}`]} />
            </div>
          ))}
        </div>
      ) : null}
    </>
  );
}

export type VaultInput = {
  field: string;
  label: string;
  exposure: "client" | "server";
  variable: string;
  /** Whether `variable` has a value in the environment (null: not known, e.g. no environment chosen). */
  hasValue: boolean | null;
};

/**
 * The key-like fields: write-only password inputs (a value typed here goes to the vault; nothing is ever shown
 * back), whether the variable they are kept in has a value in the environment, and that variable's name.
 */
export function VaultInputs({
  prefix,
  fields,
  errors,
}: {
  prefix: string;
  fields: VaultInput[];
  errors: Errors;
}) {
  // What the variable fields say now: the set/not set badge speaks of the variable named when the page loaded.
  const [names, setNames] = useState<Record<string, string>>({});
  if (fields.length === 0) return null;
  return (
    <fieldset className="space-y-3 sm:col-span-2">
      <legend className="text-sm font-medium text-gray-800">Keys (kept in the vault)</legend>
      {fields.map((f) => {
        const id = `${prefix}-k-${f.field}`;
        const current = names[f.field] ?? f.variable;
        const known = current === f.variable && f.hasValue !== null;
        return (
          <div key={f.field} className="grid gap-3 rounded-md border border-gray-200 p-3 sm:grid-cols-2">
            <p className="flex flex-wrap items-center gap-2 text-sm sm:col-span-2">
              <span className="font-medium">{f.label}</span>
              {known ? (
                <Badge tone={f.hasValue ? "green" : "amber"}>{f.hasValue ? "set" : "not set"}</Badge>
              ) : null}
              <span className="text-xs text-gray-600">
                in <span className="font-mono">{current || "—"}</span> ·{" "}
                {f.exposure === "server" ? "server side only" : "sent to browsers"}
              </span>
            </p>
            <Field
              label={f.label}
              htmlFor={id}
              error={errors?.[`secrets.${f.field}`]}
              hint={
                known && f.hasValue
                  ? "Write-only: leave empty to keep the value there is"
                  : "Write-only: never shown again once saved"
              }
            >
              <Input id={id} name={`secrets.${f.field}`} type="password" autoComplete="new-password" />
            </Field>
            <Field
              label={`Variable for the ${f.label}`}
              htmlFor={`${id}-variable`}
              error={errors?.[`variables.${f.field}`]}
            >
              <Input
                id={`${id}-variable`}
                name={`variables.${f.field}`}
                defaultValue={f.variable}
                className="font-mono"
                autoComplete="off"
                maxLength={255}
                onChange={(e) => setNames((n) => ({ ...n, [f.field]: e.target.value.trim() }))}
              />
            </Field>
          </div>
        );
      })}
    </fieldset>
  );
}

/** The consent purposes the destination needs before it receives a visitor's events. */
export function ConsentInputs({
  prefix,
  purposes,
  chosen,
  errors,
}: {
  prefix: string;
  purposes: readonly string[];
  chosen: string[];
  errors: Errors;
}) {
  const errorId = `${prefix}-consent-error`;
  const list = listErrors(errors, "requiredConsent");
  return (
    <fieldset className="space-y-1 sm:col-span-2" aria-describedby={list ? errorId : undefined}>
      <legend className="text-sm font-medium text-gray-800">Required consent</legend>
      <p className="text-xs text-gray-600">
        Events reach it only from visitors who granted each of these (necessary is always granted).
      </p>
      <div className="flex flex-wrap gap-x-4 gap-y-1">
        {purposes.map((p) => (
          <Checkbox
            key={p}
            id={`${prefix}-consent-${p}`}
            name="requiredConsent"
            value={p}
            label={p}
            defaultChecked={chosen.includes(p)}
          />
        ))}
      </div>
      <ErrorList id={errorId} errors={list} />
    </fieldset>
  );
}
