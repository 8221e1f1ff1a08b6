"use client";

import { useActionForm } from "@/components/forms/use-action-form";
import { Button } from "@/components/ui/button";
import { FormMessage } from "@/components/ui/form-message";
import { ShownOnce } from "@/components/ui/shown-once";
import type { ActionResult } from "@/lib/errors";
import { rotateWebhookSecretAction } from "@/server/actions/webhooks";

/** A new signing secret for an endpoint, shown once; the previous one keeps signing beside it for a day. */
export function RotateSecret({ org, id, url }: { org: string; id: string; url: string }) {
  const { state, onSubmit, pending } = useActionForm<ActionResult<{ secret: string }> | null>(
    rotateWebhookSecretAction.bind(null, org),
    null,
  );
  return (
    <div className="space-y-2">
      <form onSubmit={onSubmit}>
        <input type="hidden" name="id" value={id} />
        <Button
          type="submit"
          variant="ghost"
          size="sm"
          disabled={pending}
          aria-label={`Rotate secret of ${url}`}
        >
          Rotate secret
        </Button>
      </form>
      {state && !state.ok ? <FormMessage state={state} /> : null}
      {state?.ok ? (
        <ShownOnce region="Secret rotated" label="New signing secret" noun="secret" value={state.data.secret}>
          Both secrets sign for the next 24 hours: switch the receiver to this one.
        </ShownOnce>
      ) : null}
    </div>
  );
}
