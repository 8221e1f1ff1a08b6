"use client";

import { useRouter } from "next/navigation";
import { useEffect } from "react";
import { useActionForm } from "@/components/forms/use-action-form";
import { Button } from "@/components/ui/button";
import { FormMessage } from "@/components/ui/form-message";
import { Input } from "@/components/ui/input";
import type { ActionResult } from "@/lib/errors";
import { resolveDriftAction } from "@/server/actions/drift";
import type { Resolution } from "@/server/drift/drift-resolution";

type State = ActionResult<Resolution> | null;

const OUTCOME = (r: Resolution) =>
  r.status === "resolved"
    ? `Resolved (${r.resolution}).`
    : r.status === "requested"
      ? `Adopting it needs a reviewer's approval (${r.riskLevel} risk): it waits on Approvals; the drift stays open until it applies.`
      : r.message;

/** Push the console's value, adopt the deployed one (a normal, approved-if-needed write), or dismiss with a note. */
export function DriftActions({
  org,
  id,
  label,
  canPush,
  canAdopt,
  canDismiss,
}: {
  org: string;
  id: string;
  label: string;
  canPush: boolean;
  /** Who may read the environment's values and write or propose there (the server checks again). */
  canAdopt: boolean;
  /** On-call, owners and admins anywhere; others where they may write. */
  canDismiss: boolean;
}) {
  const router = useRouter();
  const { state, onSubmit, pending } = useActionForm<State>(resolveDriftAction.bind(null, org), null);
  useEffect(() => {
    if (state?.ok) router.refresh();
  }, [state, router]);
  const errors = state && !state.ok ? Object.values(state.fieldErrors ?? {}).flat() : [];
  if (!canPush && !canAdopt && !canDismiss)
    return <p className="text-xs text-gray-600">You cannot resolve it.</p>;
  return (
    <form onSubmit={onSubmit} aria-label={`Resolve ${label}`} className="space-y-1">
      <input type="hidden" name="id" value={id} />
      <div className="flex flex-wrap items-center gap-2">
        <Input
          name="note"
          aria-label={`Note for ${label}`}
          placeholder="Note (needed to dismiss)"
          className="w-48"
          maxLength={1000}
        />
        {canPush ? (
          <Button type="submit" name="action" value="push" size="sm" disabled={pending}>
            Push console value
          </Button>
        ) : null}
        {canAdopt ? (
          <Button type="submit" name="action" value="adopt" size="sm" variant="secondary" disabled={pending}>
            Adopt deployed value
          </Button>
        ) : null}
        {canDismiss ? (
          <Button type="submit" name="action" value="dismiss" size="sm" variant="ghost" disabled={pending}>
            Dismiss
          </Button>
        ) : null}
      </div>
      <FormMessage state={state} />
      {state?.ok ? (
        <p
          role="status"
          className={`text-xs ${state.data.status === "failed" ? "text-red-700" : "text-gray-800"}`}
        >
          {OUTCOME(state.data)}
        </p>
      ) : null}
      {errors.length > 0 ? <p className="text-xs text-red-700">{errors.join(" ")}</p> : null}
    </form>
  );
}
