"use client";

import type { FormEvent } from "react";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { FormMessage } from "@/components/ui/form-message";
import { Input } from "@/components/ui/input";
import { Textarea } from "@/components/ui/textarea";
import type { ActionResult } from "@/lib/errors";
import type { ValueChange } from "@/server/values/values";

type Props = {
  environmentId: string;
  variableId: string;
  /** What is edited, in the field's label: "value" (New value) or "production value" (New production value). */
  label: string;
  /** The form's accessible name, when the label alone does not say which value (default "Set {label}"). */
  formName?: string;
  /** The version the editor was opened on (what the save expects) and the version shown now. */
  baseVersion: number;
  currentVersion: number | null;
  multiline: boolean;
  /** The change waits for a reviewer (at this risk, when known): the note is its reason. */
  approval: { risk?: string } | null;
  state: ActionResult<ValueChange> | null;
  saving: boolean;
  onSubmit: (event: FormEvent<HTMLFormElement>) => void;
  /** Omitted where the editor has its own way out (the matrix's dialog closes). */
  onCancel?: () => void;
  onReload: () => void;
};

/**
 * The one editor of a value (the variable page's rows and the matrix's cells): sets one environment's value,
 * conditional on the version it was opened on, with the same field errors, conflict help and approval words
 * everywhere. The caller owns the action's state (useActionForm) and shows what happened after it closes.
 */
export function ValueEditor({
  environmentId,
  variableId,
  label,
  formName,
  baseVersion,
  currentVersion,
  multiline,
  approval,
  state,
  saving,
  onSubmit,
  onCancel,
  onReload,
}: Props) {
  const refused = state && !state.ok ? state : null;
  return (
    <form
      onSubmit={onSubmit}
      className="space-y-3 rounded-md bg-gray-50 p-3"
      aria-label={formName ?? `Set ${label}`}
    >
      <input type="hidden" name="variableId" value={variableId} />
      <input type="hidden" name="environmentId" value={environmentId} />
      <input type="hidden" name="expectedVersion" value={baseVersion} />
      <FormMessage state={state} />
      {(currentVersion ?? 0) !== baseVersion && !refused ? (
        <p role="status" className="text-sm text-amber-800">
          Someone changed this value since you opened the editor (now{" "}
          {currentVersion ? `v${currentVersion}` : "deleted"}). Saving will be refused; nothing will be
          overwritten.
        </p>
      ) : null}
      {refused?.error.code === "conflict:version" ? (
        <p className="text-sm text-gray-700">
          {typeof refused.error.meta?.currentVersion === "number"
            ? `It is now at v${refused.error.meta.currentVersion}${refused.error.meta.currentVersion === 0 ? " (deleted)" : ""}. `
            : ""}
          Your text is kept below. Reload to see the current value, then apply your change again.{" "}
          <button type="button" className="underline" onClick={onReload}>
            Reload
          </button>
        </p>
      ) : null}
      <Field label={`New ${label}`} htmlFor={`value-${environmentId}`} error={refused?.fieldErrors?.value}>
        <Textarea
          id={`value-${environmentId}`}
          name="value"
          rows={multiline ? 6 : 2}
          autoComplete="off"
          spellCheck={false}
          className="font-mono"
        />
      </Field>
      {approval ? (
        <p className="text-sm text-indigo-900">
          This change waits for a reviewer&apos;s approval{approval.risk ? ` (${approval.risk} risk)` : ""}.
          Say why below.
        </p>
      ) : null}
      <Field
        label={approval ? "Reason for the reviewer" : "Change note"}
        htmlFor={`note-${environmentId}`}
        error={refused?.fieldErrors?.note}
      >
        <Input id={`note-${environmentId}`} name="note" autoComplete="off" />
      </Field>
      <div className="flex gap-2">
        <Button type="submit" size="sm" disabled={saving}>
          {saving ? "Saving…" : approval ? "Request approval" : "Save value"}
        </Button>
        {onCancel ? (
          <Button type="button" variant="ghost" size="sm" onClick={onCancel}>
            Cancel
          </Button>
        ) : null}
      </div>
    </form>
  );
}
