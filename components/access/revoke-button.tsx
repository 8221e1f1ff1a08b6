"use client";

import { useActionForm } from "@/components/forms/use-action-form";
import { Button } from "@/components/ui/button";
import { FormMessage } from "@/components/ui/form-message";
import type { ActionResult } from "@/lib/errors";
import { revokePolicyAction } from "@/server/actions/access";

export function RevokeButton({
  org,
  id,
  version,
  label,
}: {
  org: string;
  id: string;
  version: number;
  label: string;
}) {
  const { state, onSubmit, pending } = useActionForm<ActionResult<void> | null>(
    revokePolicyAction.bind(null, org),
    null,
  );
  return (
    <form onSubmit={onSubmit} className="flex items-center gap-2">
      <input type="hidden" name="id" value={id} />
      <input type="hidden" name="version" value={version} />
      <Button type="submit" variant="ghost" size="sm" disabled={pending} aria-label={`Revoke ${label}`}>
        Revoke
      </Button>
      <FormMessage state={state} />
    </form>
  );
}
