"use client";

import { useEffect, useRef, useState, useTransition } from "react";
import { revealValueAction, setValueAction } from "@/app/(console)/o/[org]/variables/actions";
import { SentForApproval, wasRequested } from "@/components/approvals/sent-for-approval";
import { useStepUp } from "@/components/auth/use-step-up";
import { useActionForm } from "@/components/forms/use-action-form";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { FormMessage } from "@/components/ui/form-message";
import { Input } from "@/components/ui/input";
import { modalClass } from "@/components/ui/modal";
import { Textarea } from "@/components/ui/textarea";
import type { ValueChange } from "@/db/mutations/values";
import type { MatrixEnvironment } from "@/db/queries/matrix";
import type { Control } from "@/lib/controls";
import type { ActionResult } from "@/lib/errors";
import { maskedValue } from "@/lib/mask";

type Props = {
  org: string;
  variable: { id: string; name: string; variableType: string };
  environment: MatrixEnvironment;
  /** The version the matrix showed (0 = not set): the save is refused if it moved since. */
  version: number;
  /** Whether the caller may change values there now, or why not (lib/controls.ts). */
  control: Control;
  onClose: () => void;
  onSaved: () => void;
};

type SetState = ActionResult<ValueChange> | null;

/** The value editor opened from a matrix cell: masked, an audited reveal, and a write conditional on the version. */
export function CellEditor({ org, variable, environment, version, control, onClose, onSaved }: Props) {
  const dialog = useRef<HTMLDialogElement>(null);
  const [revealed, setRevealed] = useState<string | null>(null);
  const [revealError, setRevealError] = useState<string | null>(null);
  const [revealing, startReveal] = useTransition();
  const { state, onSubmit, pending } = useActionForm<SetState>(setValueAction.bind(null, org), null);
  const stepUp = useStepUp();

  useEffect(() => {
    dialog.current?.showModal();
  }, []);
  useEffect(() => {
    if (state?.ok && state.data.status === "applied") {
      onSaved();
      onClose();
    }
  }, [state, onSaved, onClose]);

  const reveal = () =>
    startReveal(async () => {
      setRevealError(null);
      const result = await stepUp.withStepUp(() =>
        revealValueAction(org, { variableId: variable.id, environmentId: environment.id }),
      );
      if (result.ok) setRevealed(result.data.value);
      else setRevealError(result.error.message);
    });

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
            {revealed === null ? (
              <>
                <span role="img" aria-label="masked value" className="font-mono">
                  {maskedValue()}
                </span>
                <Button type="button" variant="secondary" size="sm" onClick={reveal} disabled={revealing}>
                  {revealing ? "Revealing…" : "Reveal"}
                </Button>
              </>
            ) : (
              <section
                aria-label="Revealed value"
                // biome-ignore lint/a11y/noNoninteractiveTabindex: a long value scrolls; keyboard users scroll it too
                tabIndex={0}
                className="max-h-40 flex-1 relative overflow-auto rounded bg-amber-50 px-2 py-1 focus:outline-none focus-visible:ring-2 focus-visible:ring-indigo-500"
              >
                <pre
                  data-testid="matrix-revealed"
                  className="whitespace-pre-wrap break-all font-mono text-sm"
                >
                  {revealed}
                </pre>
              </section>
            )}
          </div>
        ) : null}
        {revealError ? (
          <p role="alert" className="text-sm text-red-700">
            {revealError}
          </p>
        ) : null}
        {stepUp.dialog}
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
          <form
            onSubmit={onSubmit}
            className="space-y-3"
            aria-label={`Set ${variable.name} in ${environment.name}`}
          >
            <input type="hidden" name="variableId" value={variable.id} />
            <input type="hidden" name="environmentId" value={environment.id} />
            <input type="hidden" name="expectedVersion" value={version} />
            <FormMessage state={state} />
            {state && !state.ok && typeof state.error.meta?.currentVersion === "number" ? (
              <p className="text-sm text-gray-700">
                It is now at v{state.error.meta.currentVersion}. Close and reopen the cell to edit the current
                value.
              </p>
            ) : null}
            <Field
              label="New value"
              htmlFor="matrix-value"
              error={state && !state.ok ? state.fieldErrors?.value : undefined}
            >
              <Textarea
                id="matrix-value"
                name="value"
                rows={variable.variableType === "configuration" ? 6 : 2}
                autoComplete="off"
                spellCheck={false}
                className="font-mono"
              />
            </Field>
            <Field
              label="Change note"
              htmlFor="matrix-note"
              hint="Required when the change needs a reviewer's approval: it is the reason they read."
              error={state && !state.ok ? state.fieldErrors?.note : undefined}
            >
              <Input id="matrix-note" name="note" autoComplete="off" />
            </Field>
            {control.approval ? (
              <p className="text-sm text-gray-700">
                Changes to {environment.name} are sent for approval: a reviewer applies them.
              </p>
            ) : null}
            <Button type="submit" size="sm" disabled={pending}>
              {pending ? "Saving…" : "Save value"}
            </Button>
          </form>
        )}
      </div>
    </dialog>
  );
}
