"use client";

import { useEffect } from "react";
import { useStepUp } from "@/components/auth/use-step-up";
import { useActionForm, useRefreshingForm } from "@/components/forms/use-action-form";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { FormMessage } from "@/components/ui/form-message";
import { Input } from "@/components/ui/input";
import { Select } from "@/components/ui/select";
import type { ActionResult } from "@/lib/errors";
import {
  deleteOrganizationAction,
  renameOrganizationAction,
  transferOwnershipAction,
} from "@/server/actions/organizations";

type State = ActionResult<unknown> | null;

/** The owner renames the organization (its URL stays). */
export function RenameOrganizationForm({ org, name }: { org: string; name: string }) {
  const { state, onSubmit, pending } = useRefreshingForm<State>(
    renameOrganizationAction.bind(null, org),
    null,
  );
  const e = state && !state.ok ? state.fieldErrors : undefined;
  return (
    <form onSubmit={onSubmit} className="flex flex-wrap items-end gap-3" aria-label="Rename the organization">
      <FormMessage state={state} success="Renamed." />
      <Field label="Name" htmlFor="org-name" error={e?.name}>
        <Input id="org-name" name="name" defaultValue={name} required maxLength={255} />
      </Field>
      <Button type="submit" disabled={pending}>
        Rename
      </Button>
    </form>
  );
}

/** The owner hands the organization to another member (asked to sign in again first). */
export function TransferOwnershipForm({
  org,
  members,
}: {
  org: string;
  members: { userId: string; label: string }[];
}) {
  const stepUp = useStepUp();
  const { state, onSubmit, pending } = useRefreshingForm<State>(
    (prev, form) => stepUp.withStepUp(() => transferOwnershipAction(org, prev, form)),
    null,
  );
  const e = state && !state.ok ? state.fieldErrors : undefined;
  return (
    <>
      {stepUp.dialog}
      <form onSubmit={onSubmit} className="space-y-3" aria-label="Transfer ownership">
        <input type="hidden" name="confirm" value="transfer" />
        <FormMessage state={state} success="Ownership transferred: you are now an admin." />
        <Field
          label="New owner"
          htmlFor="org-owner"
          hint="They become the owner; you stay as an admin."
          error={e?.userId}
        >
          <Select id="org-owner" name="userId" required defaultValue="">
            <option value="" disabled>
              Choose a member
            </option>
            {members.map((m) => (
              <option key={m.userId} value={m.userId}>
                {m.label}
              </option>
            ))}
          </Select>
        </Field>
        <Button type="submit" variant="secondary" disabled={pending || members.length === 0}>
          Transfer ownership
        </Button>
      </form>
    </>
  );
}

/**
 * The owner deletes the organization: its URL name typed again, then a recent sign-in. Nothing of it can be
 * read from then on; an owner restores it within 30 days from "Deleted organizations".
 */
export function DeleteOrganizationForm({ org }: { org: string }) {
  const stepUp = useStepUp();
  const { state, onSubmit, pending } = useActionForm<State>(
    (prev, form) => stepUp.withStepUp(() => deleteOrganizationAction(org, prev, form)),
    null,
  );
  // A full load: nothing the client router cached of the organization may show again.
  useEffect(() => {
    if (state?.ok) window.location.assign("/organizations/deleted");
  }, [state]);
  const e = state && !state.ok ? state.fieldErrors : undefined;
  return (
    <>
      {stepUp.dialog}
      <form onSubmit={onSubmit} className="space-y-3" aria-label="Delete the organization">
        <FormMessage state={state} success="Deleted." />
        <Field
          label={`Type ${org} to confirm`}
          htmlFor="org-confirm"
          hint="Its members lose access at once. You can restore it for 30 days; then every row of it is removed."
          error={e?.confirm}
        >
          <Input id="org-confirm" name="confirm" autoComplete="off" required maxLength={63} />
        </Field>
        <Button type="submit" variant="danger" disabled={pending || state?.ok === true}>
          Delete organization
        </Button>
      </form>
    </>
  );
}
