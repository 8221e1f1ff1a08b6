"use client";

import { useEffect, useRef } from "react";
import { SentForApproval, wasRequested } from "@/components/approvals/sent-for-approval";
import { useActionForm } from "@/components/forms/use-action-form";
import { Button } from "@/components/ui/button";
import { modalClass } from "@/components/ui/modal";
import { RevealError, useValueReveal, ValueDisplay } from "@/components/values/use-value-reveal";
import type { ValueActions } from "@/components/values/value-actions";
import { ValueEditor } from "@/components/values/value-editor";
import type { MatrixEnvironment } from "@/db/repos/matrix";
import type { Control } from "@/lib/controls";
import type { ActionResult } from "@/lib/errors";
import type { ValueChange } from "@/server/values/values";

type Props = {
  org: string;
  actions: ValueActions;
  variable: { id: string; name: string; variableType: string };
  environment: MatrixEnvironment;
  /** The version the matrix showed (0 = not set): the save is refused if it moved since. */
  version: number;
  /** Whether the caller may change values there now, or why not (lib/controls.ts). */
  control: Control;
  /** The change waits for a reviewer, at this risk (lib/approvals.ts valueChangeMode), as on the variable page. */
  approval: { risk: string } | null;
  onClose: () => void;
  onSaved: () => void;
};

type SetState = ActionResult<ValueChange> | null;

/** A matrix cell's value in a dialog: masked, an audited reveal, and the value editor (lock and role permitting). */
export function CellEditor({
  org,
  actions,
  variable,
  environment,
  version,
  control,
  approval,
  onClose,
  onSaved,
}: Props) {
  const dialog = useRef<HTMLDialogElement>(null);
  const target = { variableId: variable.id, environmentId: environment.id };
  const reveal = useValueReveal(() => actions.revealValue(org, target));
  const { state, onSubmit, pending } = useActionForm<SetState>(actions.setValue.bind(null, org), null);

  useEffect(() => {
    dialog.current?.showModal();
  }, []);
  useEffect(() => {
    if (state?.ok && state.data.status === "applied") {
      onSaved();
      onClose();
    }
  }, [state, onSaved, onClose]);

  return (
    <dialog
      ref={dialog}
      onClose={onClose}
      aria-label={`${variable.name} in ${environment.name}`}
      className={modalClass()}
    >
      <div className="space-y-4 p-5">
        <div className="flex items-start justify-between gap-3">
          <div>
            <h2 className="font-mono text-base font-semibold">{variable.name}</h2>
            <p className="text-sm text-gray-600">
              {environment.name} · {version ? `v${version}` : "not set"}
            </p>
          </div>
          <Button type="button" variant="ghost" size="sm" onClick={() => dialog.current?.close()}>
            Close
          </Button>
        </div>
        {version ? (
          <div className="flex items-center gap-3">
            <ValueDisplay
              value={reveal.value}
              resolved={reveal.resolved}
              label="Revealed value"
              testId="matrix-revealed"
            />
            {reveal.value === null ? (
              <Button
                type="button"
                variant="secondary"
                size="sm"
                onClick={reveal.show}
                disabled={reveal.pending}
              >
                {reveal.pending ? "Revealing…" : "Reveal"}
              </Button>
            ) : null}
          </div>
        ) : null}
        <RevealError error={reveal.error} />
        {reveal.dialog}
        {wasRequested(state) ? (
          <SentForApproval org={org} state={state} />
        ) : control.state === "hidden" ? (
          <p className="text-sm text-gray-700">{control.reason}</p>
        ) : control.state === "locked" ? (
          <p className="rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-950">
            {control.reason}{" "}
            {control.breakGlass ? (
              <a href={`/o/${org}/emergency`} className="font-medium underline">
                Break glass…
              </a>
            ) : (
              "Changes wait until then."
            )}
          </p>
        ) : (
          <ValueEditor
            environmentId={environment.id}
            variableId={variable.id}
            label="value"
            formName={`Set ${variable.name} in ${environment.name}`}
            baseVersion={version}
            currentVersion={version}
            multiline={variable.variableType === "configuration"}
            approval={approval ?? (control.approval ? {} : null)}
            state={state}
            saving={pending}
            onSubmit={onSubmit}
            onReload={() => {
              // The matrix refreshes; the cell reopens on the version it holds now.
              onSaved();
              dialog.current?.close();
            }}
          />
        )}
      </div>
    </dialog>
  );
}
