"use client";

import { useEffect } from "react";
import { useActionForm } from "@/components/forms/use-action-form";
import { Button } from "@/components/ui/button";
import { FormMessage } from "@/components/ui/form-message";
import type { ActionResult } from "@/lib/errors";
import { restoreOrganizationAction } from "@/server/actions/organizations";

type State = ActionResult<{ id: string }> | null;

/** Restores one of the owner's deleted organizations, and opens it. */
export function RestoreOrganizationButton({ id, slug, name }: { id: string; slug: string; name: string }) {
  const { state, onSubmit, pending } = useActionForm<State>(restoreOrganizationAction, null);
  // A full load, not the client router: its cache still holds where the deleted organization's pages went.
  useEffect(() => {
    if (state?.ok) window.location.assign(`/o/${slug}`);
  }, [state, slug]);
  return (
    <form onSubmit={onSubmit} aria-label={`Restore ${name}`} className="space-y-1">
      <input type="hidden" name="id" value={id} />
      <FormMessage state={state} success="Restored." />
      <Button type="submit" size="sm" variant="secondary" disabled={pending || state?.ok === true}>
        Restore
      </Button>
    </form>
  );
}
