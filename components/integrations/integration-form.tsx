"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useEffect, useState } from "react";
import { type VaultInput, VaultInputs } from "@/components/destinations/form-parts";
import { useActionForm } from "@/components/forms/use-action-form";
import { Button } from "@/components/ui/button";
import { Checkbox } from "@/components/ui/checkbox";
import { Field } from "@/components/ui/field";
import { FormMessage } from "@/components/ui/form-message";
import { Input } from "@/components/ui/input";
import { Select } from "@/components/ui/select";
import type { ActionResult } from "@/lib/errors";
import {
  createIntegrationAction,
  type SecretNote,
  updateIntegrationAction,
} from "@/server/actions/integrations";
import {
  FeatureInputs,
  ManagedFields,
  OAuthInputs,
  RuleInputs,
  type SettingsValues,
  SyncInputs,
} from "./form-parts";
import type { FormSpec } from "./platform-specs";

type Saved = { status: "applied"; id: string; version: number; secrets: SecretNote[] };

/** An environment a config may be added to, and the default vault variables that have a value there. */
export type EnvironmentChoice = { name: string; production: boolean; withValue: string[] };

/** The config being edited: its platform, kind and environment are fixed. */
export type Editing = {
  id: string;
  version: number;
  platform: string;
  configType: string;
  environment: string;
  production: boolean;
  name: string;
  isPrimary: boolean;
  isActive: boolean;
  settings: SettingsValues;
  vault: (VaultInput & { managed?: boolean })[];
};

/** What each secret's write came to, in words. */
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
 * An integration config's form: on a new one, its platform, kind (the features and secrets follow them) and
 * environment first; then name, sync, features, rules, its secrets (write-only), primary and active, and a
 * reason where production changes may wait for a reviewer.
 */
export function IntegrationForm({
  org,
  spec,
  environments = [],
  editing,
}: {
  org: string;
  spec: FormSpec;
  environments?: EnvironmentChoice[];
  editing?: Editing;
}) {
  const router = useRouter();
  const action = editing ? updateIntegrationAction : createIntegrationAction;
  const { state, onSubmit, pending } = useActionForm<ActionResult<Saved> | null>(
    action.bind(null, org),
    null,
  );
  const e = state && !state.ok ? state.fieldErrors : undefined;
  const [platform, setPlatform] = useState(editing?.platform ?? spec.platforms[0]?.platform ?? "");
  const [kind, setKind] = useState(editing?.configType ?? "api_key");
  const [envName, setEnvName] = useState(editing?.environment ?? "");
  // The version the fields were filled from; after our own save, the version we wrote.
  const [version, setVersion] = useState(editing?.version ?? 0);
  // Bumped after a save: the secret inputs are emptied (nothing typed lingers in the page).
  const [saves, setSaves] = useState(0);
  useEffect(() => {
    if (!state?.ok) return;
    setSaves((n) => n + 1);
    if (editing) setVersion(state.data.version);
    else if (state.data.secrets.every((s) => s.status === "applied")) router.push(`/o/${org}/integrations`);
  }, [state, editing, org, router]);
  const platformSpec = spec.platforms.find((s) => s.platform === platform);
  const env = environments.find((x) => x.name === envName);
  const production = editing ? editing.production : Boolean(env?.production);
  const fields: (VaultInput & { managed?: boolean })[] =
    editing?.vault ??
    (platformSpec?.vault[kind as keyof typeof platformSpec.vault] ?? []).map((f) => ({
      ...f,
      hasValue: env ? env.withValue.includes(f.variable) : null,
    }));
  const vault = fields.filter((f) => !f.managed);
  const managed = fields.filter((f) => f.managed);
  const p = editing ? `i-${editing.id}` : "i-new";
  const requested = state?.ok && state.data.secrets.some((s) => s.status === "requested");
  return (
    <div className="max-w-3xl space-y-4">
      <form
        onSubmit={onSubmit}
        aria-label={editing ? `Settings of ${editing.name}` : "Add integration"}
        className="grid gap-4 sm:grid-cols-2"
      >
        {editing ? (
          <>
            <input type="hidden" name="id" value={editing.id} />
            <input type="hidden" name="version" value={version} />
          </>
        ) : (
          <>
            <Field label="Platform" htmlFor={`${p}-platform`} error={e?.platform}>
              <Select
                id={`${p}-platform`}
                name="platform"
                value={platform}
                onChange={(ev) => setPlatform(ev.target.value)}
              >
                {spec.platforms.map((s) => (
                  <option key={s.platform} value={s.platform}>
                    {s.label}
                  </option>
                ))}
              </Select>
            </Field>
            <Field label="Kind" htmlFor={`${p}-kind`} error={e?.configType}>
              <Select
                id={`${p}-kind`}
                name="configType"
                value={kind}
                onChange={(ev) => setKind(ev.target.value)}
              >
                {spec.kinds.map((k) => (
                  <option key={k.value} value={k.value}>
                    {k.label}
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
        <SyncInputs prefix={p} directions={spec.directions} values={editing?.settings} errors={e} />
        <div key={`${platform}-${kind}-${saves}`} className="contents">
          <FeatureInputs
            prefix={p}
            features={platformSpec?.features ?? []}
            chosen={editing?.settings.features ?? []}
            errors={e}
          />
          {kind === "oauth" ? <OAuthInputs prefix={p} values={editing?.settings} errors={e} /> : null}
          <VaultInputs prefix={p} fields={vault} errors={e} />
          <ManagedFields fields={managed} />
        </div>
        <RuleInputs prefix={p} values={editing?.settings} errors={e} />
        <div className="flex flex-col gap-1 sm:col-span-2">
          <Checkbox
            id={`${p}-active`}
            name="isActive"
            defaultChecked={editing?.isActive ?? true}
            label="Active: checked and synced"
          />
          <Checkbox
            id={`${p}-primary`}
            name="isPrimary"
            defaultChecked={editing?.isPrimary ?? false}
            label="Primary: the first choice for this provider here"
          />
          {e?.isPrimary ? (
            <ul role="alert" className="text-xs text-red-700">
              {e.isPrimary.map((m) => (
                <li key={m}>{m}</li>
              ))}
            </ul>
          ) : null}
        </div>
        {production ? (
          <div className="sm:col-span-2">
            <Field
              label="Reason"
              htmlFor={`${p}-reason`}
              error={e?.reason}
              hint="In production a new secret waits for a reviewer: say why it changes"
            >
              <Input id={`${p}-reason`} name="reason" autoComplete="off" maxLength={500} />
            </Field>
          </div>
        ) : null}
        <div className="space-y-2 sm:col-span-2">
          <FormMessage
            state={state}
            success={editing ? "Saved." : requested ? "Integration added." : undefined}
          />
          {state?.ok ? <SecretNotes org={org} notes={state.data.secrets} /> : null}
          {!editing && state?.ok && requested ? (
            <Link
              className="text-sm text-indigo-700 underline"
              href={`/o/${org}/integrations/${state.data.id}`}
            >
              Open the integration
            </Link>
          ) : null}
          <Button type="submit" disabled={pending}>
            {pending ? "Saving…" : editing ? "Save integration" : "Add integration"}
          </Button>
        </div>
      </form>
    </div>
  );
}
