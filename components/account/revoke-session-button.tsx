"use client";

import { useRouter } from "next/navigation";
import { useEffect } from "react";
import { useActionForm } from "@/components/forms/use-action-form";
import { Button } from "@/components/ui/button";
import { FormMessage } from "@/components/ui/form-message";
import type { ActionResult } from "@/lib/errors";
import { revokeSessionAction } from "@/server/actions/account";

/** Signs out one session (`sessionId`) or all the others. */
export function RevokeSessionButton({
  org,
  sessionId,
  label,
}: {
  org: string;
  sessionId?: string;
  label: string;
}) {
  const router = useRouter();
  const { state, onSubmit, pending } = useActionForm<ActionResult<{ revoked: number }> | null>(
    revokeSessionAction.bind(null, org),
    null,
  );
  useEffect(() => {
    if (state?.ok) router.refresh();
  }, [state, router]);
  return (
    <form onSubmit={onSubmit} className="flex items-center gap-2">
      {sessionId ? (
        <input type="hidden" name="sessionId" value={sessionId} />
      ) : (
        <input type="hidden" name="others" value="true" />
      )}
      <Button type="submit" size="sm" variant="secondary" disabled={pending}>
        {label}
      </Button>
      <FormMessage state={state} />
    </form>
  );
}
