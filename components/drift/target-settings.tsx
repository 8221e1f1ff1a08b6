"use client";

import { useRouter } from "next/navigation";
import { useEffect, useState, useTransition } from "react";
import { SentForApproval, wasRequested } from "@/components/approvals/sent-for-approval";
import { ShownOnceSecret } from "@/components/drift/shown-once-secret";
import { useActionForm } from "@/components/forms/use-action-form";
import { Button } from "@/components/ui/button";
import { Checkbox } from "@/components/ui/checkbox";
import { Field } from "@/components/ui/field";
import { FormMessage } from "@/components/ui/form-message";
import { Input } from "@/components/ui/input";
import type { ActionResult } from "@/lib/errors";
import { rotateSecretAction, setTargetActiveAction, updateTargetAction } from "@/server/actions/drift";

export type TargetSettingsView = {
  id: string;
  name: string;
  kind: "dotenv_file" | "http";
  location: string;
  version: number;
  deleteUnmanaged: boolean;
  autoPush: boolean;
  scanIntervalMinutes: number;
  isActive: boolean;
};

/**
 * A target's settings for owners and admins, folded away under its name: edit (refused if someone saved
 * first), rotate the shared secret (a generated one is shown once), deactivate or activate.
 */
export function TargetSettings({ org, target }: { org: string; target: TargetSettingsView }) {
  const t = target;
  return (
    <details className="mt-2 text-sm">
      <summary className="cursor-pointer text-indigo-700">Settings</summary>
      <div className="mt-2 space-y-4 rounded-md border border-gray-200 p-3">
        <SettingsForm org={org} target={t} />
        <RotateSecret org={org} target={t} />
        <ActiveToggle org={org} target={t} />
      </div>
    </details>
  );
}

function SettingsForm({ org, target: t }: { org: string; target: TargetSettingsView }) {
  type State = ActionResult<
    { status: "applied"; id: string; version: number } | { status: "requested" }
  > | null;
  const { state, onSubmit, pending } = useActionForm<State>(updateTargetAction.bind(null, org), null);
  const e = state && !state.ok ? state.fieldErrors : undefined;
  const p = `ts-${t.id}`;
  // The version the fields were filled from: a live refresh after someone else saved must not move it, or
  // this form would overwrite their change. After our own save it is the version we wrote.
  const [version, setVersion] = useState(t.version);
  useEffect(() => {
    if (state?.ok && state.data.status === "applied") setVersion(state.data.version);
  }, [state]);
  return (
    <form onSubmit={onSubmit} aria-label={`Settings of ${t.name}`} className="grid grid-cols-2 gap-3">
      <input type="hidden" name="id" value={t.id} />
      <input type="hidden" name="version" value={version} />
      <input type="hidden" name="kind" value={t.kind} />
      <div className="col-span-2 space-y-2">
        <FormMessage state={state} success={wasRequested(state) ? undefined : "Settings saved."} />
        <SentForApproval org={org} state={state} />
      </div>
      <Field label="Name" htmlFor={`${p}-name`} error={e?.name}>
        <Input id={`${p}-name`} name="name" defaultValue={t.name} autoComplete="off" />
      </Field>
      <Field label="Scan every (minutes)" htmlFor={`${p}-interval`} error={e?.scanIntervalMinutes}>
        <Input
          id={`${p}-interval`}
          name="scanIntervalMinutes"
          type="number"
          min={1}
          max={1440}
          defaultValue={t.scanIntervalMinutes}
        />
      </Field>
      <div className="col-span-2">
        <Field
          label="Location"
          htmlFor={`${p}-location`}
          error={e?.location ?? e?.kind}
          hint="A new location starts with no managed keys: nothing there is deleted until the console pushed it"
        >
          <Input id={`${p}-location`} name="location" defaultValue={t.location} autoComplete="off" />
        </Field>
      </div>
      <div className="col-span-2 flex flex-col gap-1">
        <Checkbox
          id={`${p}-auto`}
          name="autoPush"
          defaultChecked={t.autoPush}
          label="Push automatically after each change (within a minute; never during wedding hours)"
        />
        <Checkbox
          id={`${p}-delete`}
          name="deleteUnmanaged"
          defaultChecked={t.deleteUnmanaged}
          label="Delete keys the console did not push"
        />
      </div>
      <div className="col-span-2">
        <Field
          label="Reason"
          htmlFor={`${p}-reason`}
          error={e?.reason}
          hint="Needed to move a production target or let it delete keys the console did not push: a reviewer approves that"
        >
          <Input id={`${p}-reason`} name="reason" autoComplete="off" maxLength={1000} />
        </Field>
      </div>
      <div className="col-span-2">
        <Button type="submit" size="sm" disabled={pending}>
          {pending ? "Saving…" : "Save settings"}
        </Button>
      </div>
    </form>
  );
}

function RotateSecret({ org, target: t }: { org: string; target: TargetSettingsView }) {
  type State = ActionResult<{ id: string; secret: string | null }> | null;
  const { state, onSubmit, pending } = useActionForm<State>(rotateSecretAction.bind(null, org), null);
  const e = state && !state.ok ? state.fieldErrors : undefined;
  return (
    <form onSubmit={onSubmit} aria-label={`Rotate the secret of ${t.name}`} className="space-y-2">
      <input type="hidden" name="id" value={t.id} />
      <FormMessage state={state} success="Secret rotated. Scans and pushes fail until the target has it." />
      {state?.ok && state.data.secret ? (
        <ShownOnceSecret secret={state.data.secret} testId="rotated-secret" />
      ) : null}
      <div className="flex items-end gap-2">
        <Field
          label="New shared secret"
          htmlFor={`rs-${t.id}`}
          error={e?.secret}
          hint="Optional: at least 32 characters; left empty, one is generated"
        >
          <Input id={`rs-${t.id}`} name="secret" type="password" autoComplete="off" />
        </Field>
        <Button type="submit" size="sm" variant="secondary" disabled={pending}>
          {pending ? "Rotating…" : "Rotate secret"}
        </Button>
      </div>
    </form>
  );
}

function ActiveToggle({ org, target: t }: { org: string; target: TargetSettingsView }) {
  const router = useRouter();
  const [text, setText] = useState<string | null>(null);
  const [pending, start] = useTransition();
  const toggle = () =>
    start(async () => {
      const r = await setTargetActiveAction(org, { id: t.id, active: !t.isActive });
      setText(
        !r.ok
          ? r.error.message
          : t.isActive
            ? `Deactivated${r.data.resolved ? `; ${r.data.resolved} open drift resolved` : ""}.`
            : "Activated.",
      );
      router.refresh();
    });
  return (
    <div className="flex items-center gap-2">
      <Button
        type="button"
        size="sm"
        variant={t.isActive ? "ghost" : "secondary"}
        disabled={pending}
        onClick={toggle}
      >
        {t.isActive ? "Deactivate target" : "Activate target"}
      </Button>
      <span className="text-xs text-gray-600">
        {t.isActive
          ? "Stops scans and pushes; its history stays."
          : "Deactivated: no scans or pushes. Test it, then activate."}
      </span>
      {text ? (
        <span role="status" className="text-xs text-gray-800">
          {text}
        </span>
      ) : null}
    </div>
  );
}
