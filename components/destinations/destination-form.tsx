"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useEffect, useState } from "react";
import { useActionForm } from "@/components/forms/use-action-form";
import { Button } from "@/components/ui/button";
import { Checkbox } from "@/components/ui/checkbox";
import { Field } from "@/components/ui/field";
import { FormMessage } from "@/components/ui/form-message";
import { Input } from "@/components/ui/input";
import { Select } from "@/components/ui/select";
import type { ActionResult } from "@/lib/errors";
import {
  createDestinationAction,
  type SecretNote,
  updateDestinationAction,
} from "@/server/actions/destinations";
import { ConsentInputs, SettingsInputs, type VaultInput, VaultInputs } from "./form-parts";
import type { TypeSpec } from "./type-specs";

type Saved = { status: "applied"; id: string; version: number; secrets: SecretNote[] };

/** An environment a destination may be added to, and the default vault variables that have a value there. */
export type EnvironmentChoice = { name: string; production: boolean; withValue: string[] };

/** The destination being edited: its type and environment are fixed. */
export type Editing = {
  id: string;
  version: number;
  type: string;
  environment: string;
  production: boolean;
  name: string;
  description: string;
  settings: Record<string, unknown>;
  requiredConsent: string[];
  enabled: boolean;
  testMode: boolean;
  vault: VaultInput[];
};

/** What each key's write came to, in words. */
function SecretNotes({ org, notes }: { org: string; notes: SecretNote[] }) {
  if (notes.length === 0) return null;
  return (
    <ul role="status" className="space-y-1 rounded-md bg-indigo-50 px-3 py-2 text-sm text-indigo-900">
      {notes.map((n) => (
        <li key={n.field}>
          <span className="font-mono">{n.variable}</span>:{" "}
          {n.status === "applied" ? (
            `saved (version ${n.version})`
          ) : (
            <>
              sent for approval ({n.riskLevel} risk); it waits on{" "}
              <Link className="underline" href={`/o/${org}/approvals`}>
                Approvals
              </Link>
            </>
          )}
        </li>
      ))}
    </ul>
  );
}

/**
 * A destination's form: on a new one, its type (the settings and keys follow it) and environment first; then
 * name, the type's settings, its keys (write-only), the consent it needs, enabled and test mode, and a reason
 * where production changes may wait for a reviewer.
 */
export function DestinationForm({
  org,
  specs,
  purposes,
  environments = [],
  editing,
}: {
  org: string;
  specs: TypeSpec[];
  purposes: readonly string[];
  environments?: EnvironmentChoice[];
  editing?: Editing;
}) {
  const router = useRouter();
  const action = editing ? updateDestinationAction : createDestinationAction;
  const { state, onSubmit, pending } = useActionForm<ActionResult<Saved> | null>(
    action.bind(null, org),
    null,
  );
  const e = state && !state.ok ? state.fieldErrors : undefined;
  const [type, setType] = useState(editing?.type ?? specs[0]?.type ?? "");
  const [envName, setEnvName] = useState(editing?.environment ?? "");
  // The version the fields were filled from; after our own save, the version we wrote.
  const [version, setVersion] = useState(editing?.version ?? 0);
  // Bumped after a save: the key inputs are emptied (nothing typed lingers in the page).
  const [saves, setSaves] = useState(0);
  useEffect(() => {
    if (!state?.ok) return;
    setSaves((n) => n + 1);
    if (editing) setVersion(state.data.version);
    else if (state.data.secrets.every((s) => s.status === "applied")) router.push(`/o/${org}/destinations`);
  }, [state, editing, org, router]);
  const spec = specs.find((s) => s.type === type);
  const env = environments.find((x) => x.name === envName);
  const production = editing ? editing.production : Boolean(env?.production);
  const vault: VaultInput[] =
    editing?.vault ??
    (spec?.vault ?? []).map((f) => ({
      ...f,
      hasValue: env ? env.withValue.includes(f.variable) : null,
    }));
  const p = editing ? `d-${editing.id}` : "d-new";
  const requested = state?.ok && state.data.secrets.some((s) => s.status === "requested");
  return (
    <div className="max-w-3xl space-y-4">
      <form
        onSubmit={onSubmit}
        aria-label={editing ? `Settings of ${editing.name}` : "Add destination"}
        className="grid gap-4 sm:grid-cols-2"
      >
        {editing ? (
          <>
            <input type="hidden" name="id" value={editing.id} />
            <input type="hidden" name="version" value={version} />
          </>
        ) : (
          <>
            <Field label="Type" htmlFor={`${p}-type`} error={e?.type}>
              <Select id={`${p}-type`} name="type" value={type} onChange={(ev) => setType(ev.target.value)}>
                {specs.map((s) => (
                  <option key={s.type} value={s.type}>
                    {s.label}
                  </option>
                ))}
              </Select>
            </Field>
            <Field label="Environment" htmlFor={`${p}-environment`} error={e?.environment}>
              <Select
                id={`${p}-environment`}
                name="environment"
                value={envName}
                onChange={(ev) => setEnvName(ev.target.value)}
                required
              >
                <option value="">Choose…</option>
                {environments.map((x) => (
                  <option key={x.name} value={x.name}>
                    {x.name}
                  </option>
                ))}
              </Select>
            </Field>
          </>
        )}
        <Field label="Name" htmlFor={`${p}-name`} error={e?.name}>
          <Input
            id={`${p}-name`}
            name="name"
            defaultValue={editing?.name ?? ""}
            required
            maxLength={100}
            autoComplete="off"
          />
        </Field>
        <Field label="Description (optional)" htmlFor={`${p}-description`} error={e?.description}>
          <Input
            id={`${p}-description`}
            name="description"
            defaultValue={editing?.description ?? ""}
            maxLength={500}
            autoComplete="off"
          />
        </Field>
        <div key={`${type}-${saves}`} className="contents">
          <SettingsInputs prefix={p} fields={spec?.settings ?? []} values={editing?.settings} errors={e} />
          <VaultInputs prefix={p} fields={vault} errors={e} />
        </div>
        <ConsentInputs prefix={p} purposes={purposes} chosen={editing?.requiredConsent ?? []} errors={e} />
        <div className="flex flex-col gap-1 sm:col-span-2">
          <Checkbox
            id={`${p}-enabled`}
            name="enabled"
            defaultChecked={editing?.enabled ?? false}
            label="Enabled: send events to it"
          />
          <Checkbox
            id={`${p}-test`}
            name="testMode"
            defaultChecked={editing?.testMode ?? false}
            label="Test mode: the provider marks events as tests"
          />
        </div>
        {production ? (
          <div className="sm:col-span-2">
            <Field
              label="Reason"
              htmlFor={`${p}-reason`}
              error={e?.reason}
              hint="In production a new server-side key waits for a reviewer: say why it changes"
            >
              <Input id={`${p}-reason`} name="reason" autoComplete="off" maxLength={500} />
            </Field>
          </div>
        ) : null}
        <div className="space-y-2 sm:col-span-2">
          <FormMessage
            state={state}
            success={editing ? "Saved." : requested ? "Destination added." : undefined}
          />
          {state?.ok ? <SecretNotes org={org} notes={state.data.secrets} /> : null}
          {!editing && state?.ok && requested ? (
            <Link
              className="text-sm text-indigo-700 underline"
              href={`/o/${org}/destinations/${state.data.id}`}
            >
              Open the destination
            </Link>
          ) : null}
          <Button type="submit" disabled={pending}>
            {pending ? "Saving…" : editing ? "Save destination" : "Add destination"}
          </Button>
        </div>
      </form>
    </div>
  );
}
