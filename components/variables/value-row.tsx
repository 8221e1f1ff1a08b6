"use client";

import { useRouter } from "next/navigation";
import { useEffect, useState, useTransition } from "react";
import { SentForApproval } from "@/components/approvals/sent-for-approval";
import { useActionForm } from "@/components/forms/use-action-form";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { FormMessage } from "@/components/ui/form-message";
import { RevealError, useValueReveal, ValueDisplay } from "@/components/values/use-value-reveal";
import type { ValueRowActions } from "@/components/values/value-actions";
import { ValueEditor } from "@/components/values/value-editor";
import type { WriteMode } from "@/lib/approvals";
import type { ActionResult } from "@/lib/errors";
import type { ValueChange } from "@/server/values/values";
import { DeleteRequestForm } from "./delete-request-form";

type Props = {
  org: string;
  /** The server actions, from the page (components do not import app/). */
  actions: ValueRowActions;
  variableId: string;
  environment: { id: string; name: string; locked: boolean; isActive: boolean };
  value: { version: number; hash: string; updated: string } | null;
  canRead: boolean;
  /** How a change here goes through for the caller: at once, as a change request, or not at all. */
  setMode: WriteMode;
  deleteMode: WriteMode;
  /** The risk of setting this value, shown when a change needs approval. */
  setRisk: string;
  /** Change requests waiting for a reviewer that touch this value. */
  pending?: { id: string; requester: string; riskLevel: string; operation: string }[];
  multiline: boolean;
  /** Database URLs get an on-demand connectivity check. */
  connectivity?: boolean;
  /** The latest checks that did not simply pass (warnings, a failed connectivity check). */
  checks?: { type: string; status: string; message: string | null }[];
};

type ChangeState = ActionResult<ValueChange> | null;

/** One environment's value: masked until a deliberate, audited reveal; edits are conditional on its version. */
export function ValueRow({
  org,
  actions,
  variableId,
  environment,
  value,
  canRead,
  setMode,
  deleteMode,
  setRisk,
  pending = [],
  multiline,
  connectivity,
  checks = [],
}: Props) {
  const router = useRouter();
  /** The version the editor was opened on: live refreshes update `value`, never what the save expects. */
  const [editing, setEditing] = useState<{ baseVersion: number } | null>(null);
  const [probe, setProbe] = useState<{ ok: boolean; text: string } | null>(null);
  const [probing, startProbe] = useTransition();
  const [deleting, setDeleting] = useState(false);
  const {
    state,
    onSubmit,
    pending: saving,
  } = useActionForm<ChangeState>(actions.setValue.bind(null, org), null);
  const del = useActionForm<ChangeState>(actions.deleteValue.bind(null, org), null);
  const target = { variableId, environmentId: environment.id };
  const reveal = useValueReveal(() => actions.revealValue(org, target));
  const open = !environment.locked && environment.isActive;
  const canSet = setMode !== "forbidden";
  const label = `${environment.name} value`;
  const approval = setMode === "request";

  useEffect(() => {
    if (state?.ok) {
      setEditing(null);
      reveal.hide();
      router.refresh();
    }
  }, [state, router, reveal.hide]);
  useEffect(() => {
    if (del.state?.ok) {
      setDeleting(false);
      reveal.hide();
      router.refresh();
    }
  }, [del.state, router, reveal.hide]);

  const testConnection = () =>
    startProbe(async () => {
      setProbe(null);
      const result = await actions.checkConnectivity(org, target);
      setProbe(
        result.ok
          ? { ok: result.data.status === "passed", text: `${result.data.message} (${result.data.ms} ms)` }
          : { ok: false, text: result.error.message },
      );
    });

  return (
    <li className="space-y-3 p-4" aria-label={`${environment.name} value`}>
      <div className="flex flex-wrap items-center gap-3">
        <span className="w-32 font-medium">{environment.name}</span>
        {environment.locked ? <Badge tone="amber">locked: wedding hours</Badge> : null}
        {!environment.isActive ? <Badge tone="neutral">inactive</Badge> : null}
        <div className="min-w-0 flex-1 font-mono text-sm">
          {value ? (
            <ValueDisplay
              value={reveal.value}
              resolved={reveal.resolved}
              label={`${environment.name} value, revealed`}
              testId={`revealed-${environment.name}`}
            />
          ) : (
            <span className="text-quiet">not set</span>
          )}
        </div>
        {value ? (
          <span className="text-xs text-gray-500">
            v{value.version} · {value.hash} · {value.updated}
          </span>
        ) : null}
        <div className="flex flex-wrap gap-2">
          {value && canRead ? (
            reveal.value === null ? (
              <Button
                type="button"
                variant="secondary"
                size="sm"
                onClick={reveal.show}
                disabled={reveal.pending}
                aria-label={`Reveal ${label}`}
              >
                {reveal.pending ? "Revealing…" : "Reveal"}
              </Button>
            ) : (
              <Button
                type="button"
                variant="secondary"
                size="sm"
                onClick={reveal.hide}
                aria-label={`Hide ${label}`}
              >
                Hide
              </Button>
            )
          ) : null}
          {value && canRead && connectivity ? (
            <Button type="button" variant="secondary" size="sm" onClick={testConnection} disabled={probing}>
              {probing ? "Testing…" : "Test connection"}
              <span className="sr-only"> ({environment.name})</span>
            </Button>
          ) : null}
          {canSet ? (
            <Button
              type="button"
              variant="secondary"
              size="sm"
              disabled={!open}
              title={environment.locked ? "Read-only during wedding hours" : undefined}
              onClick={() => setEditing((e) => (e ? null : { baseVersion: value?.version ?? 0 }))}
              aria-label={`${value ? "Edit" : "Set"} ${label}`}
            >
              {value ? "Edit" : "Set"}
            </Button>
          ) : null}
          {deleteMode !== "forbidden" && value ? (
            deleteMode === "request" ? (
              <Button
                type="button"
                variant="ghost"
                size="sm"
                disabled={!open}
                onClick={() => setDeleting((d) => !d)}
                aria-label={`Delete ${label}`}
              >
                Delete…
              </Button>
            ) : (
              <form onSubmit={del.onSubmit}>
                <input type="hidden" name="variableId" value={variableId} />
                <input type="hidden" name="environmentId" value={environment.id} />
                <input type="hidden" name="expectedVersion" value={value.version} />
                <Button
                  type="submit"
                  variant="ghost"
                  size="sm"
                  disabled={!open || del.pending}
                  aria-label={`Delete ${label}`}
                >
                  Delete
                </Button>
              </form>
            )
          ) : null}
        </div>
      </div>
      {checks.length > 0 ? (
        <ul className="space-y-0.5 text-xs" aria-label={`${environment.name} checks`}>
          {checks.map((c) => (
            <li
              key={`${c.type}-${c.message}`}
              className={c.status === "failed" ? "text-red-700" : "text-amber-800"}
            >
              {c.status === "failed" ? "✗" : "⚠"} {c.type.replace("_", " ")}: {c.message}
            </li>
          ))}
        </ul>
      ) : null}
      {approval && canSet ? (
        <p className="text-xs text-gray-600">
          Changes here need a reviewer&apos;s approval ({setRisk} risk): they wait on the Approvals page.
        </p>
      ) : null}
      {pending.length > 0 ? (
        <ul className="space-y-0.5 text-sm" aria-label={`${environment.name} changes waiting for approval`}>
          {pending.map((p) => (
            <li key={p.id} className="text-indigo-800">
              ⧗ {p.operation === "delete" ? "Deletion" : "Change"} by {p.requester} waits for approval (
              {p.riskLevel}) —{" "}
              <a className="underline" href={`/o/${org}/approvals#request-${p.id}`}>
                review
              </a>
            </li>
          ))}
        </ul>
      ) : null}
      {editing ? null : <SentForApproval org={org} state={state} />}
      {deleting ? null : <SentForApproval org={org} state={del.state} />}
      {probe ? (
        <p role="status" className={`text-sm ${probe.ok ? "text-green-800" : "text-red-700"}`}>
          Connectivity: {probe.text}
        </p>
      ) : null}
      <RevealError error={reveal.error} />
      <FormMessage state={del.state} />
      {reveal.dialog}
      {deleting && value && open ? (
        <DeleteRequestForm
          environmentId={environment.id}
          variableId={variableId}
          version={value.version}
          label={label}
          error={del.state && !del.state.ok ? del.state.fieldErrors?.note : undefined}
          pending={del.pending}
          onSubmit={del.onSubmit}
          onCancel={() => setDeleting(false)}
        />
      ) : null}
      {editing && canSet && open ? (
        <ValueEditor
          environmentId={environment.id}
          variableId={variableId}
          label={label}
          baseVersion={editing.baseVersion}
          currentVersion={value?.version ?? null}
          multiline={multiline}
          approval={approval ? { risk: setRisk } : null}
          state={state}
          saving={saving}
          onSubmit={onSubmit}
          onCancel={() => setEditing(null)}
          onReload={() => router.refresh()}
        />
      ) : null}
    </li>
  );
}
