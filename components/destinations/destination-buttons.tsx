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
  deleteDestinationAction,
  restoreDestinationAction,
  testDestinationConnectionAction,
} from "@/server/actions/destinations";

type Tested = { status: "connected" | "failed"; error: string | null };

/**
 * Tests a destination's connection with the keys in the vault, and says how it went; the page then shows the
 * new status and when it was tested.
 */
export function TestConnectionButton({ org, id, name }: { org: string; id: string; name: string }) {
  const { state, onSubmit, pending } = useActionForm<ActionResult<Tested> | null>(
    testDestinationConnectionAction.bind(null, org),
    null,
  );
  return (
    <form onSubmit={onSubmit} className="flex flex-wrap items-center gap-2">
      <input type="hidden" name="id" value={id} />
      <Button
        type="submit"
        variant="secondary"
        size="sm"
        disabled={pending}
        aria-label={`Test connection of ${name}`}
      >
        {pending ? "Testing…" : "Test connection"}
      </Button>
      {state?.ok ? (
        <span
          role="status"
          className={`text-xs ${state.data.status === "connected" ? "text-green-800" : "text-red-800"}`}
        >
          {state.data.status === "connected" ? "Connected." : `Failed: ${state.data.error ?? "no answer"}`}
        </span>
      ) : (
        <FormMessage state={state} />
      )}
    </form>
  );
}

/** Restores a deleted destination (disabled until someone turns it on again). */
export function RestoreDestinationButton({ org, id, name }: { org: string; id: string; name: string }) {
  return (
    <ActionButton
      action={restoreDestinationAction.bind(null, org)}
      fields={{ id }}
      label="Restore"
      ariaLabel={`Restore ${name}`}
    />
  );
}

/**
 * Deletes a destination after a confirmation, with a reason: in production the deletion waits for a reviewer,
 * who reads it. The destination can be restored; its keys stay in the vault.
 */
export function DeleteDestination({
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
    deleteDestinationAction.bind(null, org),
    null,
  );
  const e = state && !state.ok ? state.fieldErrors : undefined;
  useEffect(() => {
    if (state?.ok && state.data.status === "applied") router.push(`/o/${org}/destinations`);
  }, [state, org, router]);
  if (wasRequested(state)) return <SentForApproval org={org} state={state} />;
  if (!open)
    return (
      <Button type="button" variant="danger" onClick={() => setOpen(true)}>
        Delete destination
      </Button>
    );
  return (
    <form onSubmit={onSubmit} aria-label={`Delete ${name}`} className="max-w-xl space-y-3">
      <input type="hidden" name="id" value={id} />
      <input type="hidden" name="version" value={version} />
      <p className="text-sm">
        Delete {name}? It stops receiving events; it can be restored, and its keys stay in the vault.
      </p>
      <Field
        label={production ? "Reason" : "Reason (optional)"}
        htmlFor={`del-${id}-reason`}
        error={e?.reason}
        hint={production ? "Deleting a production destination waits for a reviewer: say why" : undefined}
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
