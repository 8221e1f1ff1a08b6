"use client";

import { useActionForm } from "@/components/forms/use-action-form";
import { Button } from "@/components/ui/button";
import { FormMessage } from "@/components/ui/form-message";
import type { ActionResult } from "@/lib/errors";
import { revokeInvitationAction } from "@/server/actions/access";

export function RevokeInvitationButton({ org, id, email }: { org: string; id: string; email: string }) {
  const { state, onSubmit, pending } = useActionForm<ActionResult<void> | null>(
    revokeInvitationAction.bind(null, org),
    null,
  );
  return (
    <form onSubmit={onSubmit} className="flex items-center gap-2">
      <input type="hidden" name="id" value={id} />
      <Button
        type="submit"
        variant="ghost"
        size="sm"
        disabled={pending}
        aria-label={`Revoke the invitation for ${email}`}
      >
        Revoke
      </Button>
      <FormMessage state={state} />
    </form>
  );
}
