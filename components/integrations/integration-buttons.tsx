"use client";

import { useRouter } from "next/navigation";
import { useEffect, useState } from "react";
import { SentForApproval, wasRequested } from "@/components/approvals/sent-for-approval";
import { ActionButton } from "@/components/forms/action-button";
import { useActionForm } from "@/components/forms/use-action-form";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { FormMessage } from "@/components/ui/form-message";
import { Input } from "@/components/ui/input";
import type { ActionResult } from "@/lib/errors";
import {
  checkIntegrationAction,
  deleteIntegrationAction,
  restoreIntegrationAction,
} from "@/server/actions/integrations";

type Checked =
  | { checked: true; status: string; message: string; latencyMs: number | null; circuit: string }
  | { checked: false; circuit: string; retryInSeconds: number };

const TONE: Record<string, string> = {
  healthy: "text-green-800",
  degraded: "text-amber-900",
  unhealthy: "text-red-800",
};

/** The outcome of a check in words: "Healthy: answered in 42 ms.", or why it was held back. */
export function checkOutcome(data: Checked) {
  if (!data.checked)
    return `Not checked: the circuit is open after repeated failures; the next try is in ${data.retryInSeconds} s.`;
  const status = data.status.charAt(0).toUpperCase() + data.status.slice(1);
  return `${status}: ${data.message}.`;
}

/**
 * Checks a config's health now with the credential in the vault, and says how it went; the page then shows the
 * new health, when it was checked and the history.
 */
export function CheckNowButton({ org, id, name }: { org: string; id: string; name: string }) {
  const { state, onSubmit, pending } = useActionForm<ActionResult<Checked> | null>(
    checkIntegrationAction.bind(null, org),
    null,
  );
  const tone = state?.ok ? (state.data.checked ? TONE[state.data.status] : "text-red-800") : "";
  return (
    <form onSubmit={onSubmit} className="flex flex-wrap items-center gap-2">
      <input type="hidden" name="id" value={id} />
      <Button
        type="submit"
        variant="secondary"
        size="sm"
        disabled={pending}
        aria-label={`Check now: ${name}`}
      >
        {pending ? "Checking…" : "Check now"}
      </Button>
      {state?.ok ? (
        <span role="status" className={`max-w-xs text-xs ${tone || "text-gray-800"}`}>
          {checkOutcome(state.data)}
        </span>
      ) : (
        <FormMessage state={state} />
      )}
    </form>
  );
}

/** Restores a deleted config (inactive until someone turns it on again). */
export function RestoreIntegrationButton({ org, id, name }: { org: string; id: string; name: string }) {
  return (
    <ActionButton
      action={restoreIntegrationAction.bind(null, org)}
      fields={{ id }}
      label="Restore"
      ariaLabel={`Restore ${name}`}
    />
  );
}

/**
 * Deletes a config after a confirmation, with a reason: in production the deletion waits for a reviewer, who
 * reads it. The config can be restored; its secrets stay in the vault.
 */
export function DeleteIntegration({
  org,
  id,
  version,
  name,
  production,
}: {
  org: string;
  id: string;
  version: number;
  name: string;
  production: boolean;
}) {
  const router = useRouter();
  const [open, setOpen] = useState(false);
  const { state, onSubmit, pending } = useActionForm<ActionResult<{ status: string }> | null>(
    deleteIntegrationAction.bind(null, org),
    null,
  );
  const e = state && !state.ok ? state.fieldErrors : undefined;
  useEffect(() => {
    if (state?.ok && state.data.status === "applied") router.push(`/o/${org}/integrations`);
  }, [state, org, router]);
  if (wasRequested(state)) return <SentForApproval org={org} state={state} />;
  if (!open)
    return (
      <Button type="button" variant="danger" onClick={() => setOpen(true)}>
        Delete integration
      </Button>
    );
  return (
    <form onSubmit={onSubmit} aria-label={`Delete ${name}`} className="max-w-xl space-y-3">
      <input type="hidden" name="id" value={id} />
      <input type="hidden" name="version" value={version} />
      <p className="text-sm">
        Delete {name}? Its health checks and inbound events stop; it can be restored, and its secrets stay in
        the vault.
      </p>
      <Field
        label={production ? "Reason" : "Reason (optional)"}
        htmlFor={`del-${id}-reason`}
        error={e?.reason}
        hint={production ? "Deleting a production integration waits for a reviewer: say why" : undefined}
      >
        <Input
          id={`del-${id}-reason`}
          name="reason"
          autoComplete="off"
          maxLength={500}
          required={production}
        />
      </Field>
      <FormMessage state={state} />
      <div className="flex flex-wrap gap-2">
        <Button type="submit" variant="danger" disabled={pending}>
          {production ? "Request deletion" : "Confirm delete"}
        </Button>
        <Button type="button" variant="ghost" onClick={() => setOpen(false)}>
          Cancel
        </Button>
      </div>
    </form>
  );
}
