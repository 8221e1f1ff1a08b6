"use client";

import { useActionForm } from "@/components/forms/use-action-form";
import { Button } from "@/components/ui/button";
import type { ActionResult } from "@/lib/errors";
import { verifyAuditAction } from "@/server/actions/audit";

type Verdict = { checked: number; brokenSeq: number | null; brokenId: string | null; reason: string | null };

/** Walks the hash chain in the database and says whether it is intact, or which row broke it. */
export function VerifyChain({ org }: { org: string }) {
  const { state, onSubmit, pending } = useActionForm<ActionResult<Verdict> | null>(
    verifyAuditAction.bind(null, org),
    null,
  );
  return (
    <form onSubmit={onSubmit} className="flex flex-wrap items-center gap-3">
      <Button type="submit" variant="secondary" disabled={pending}>
        {pending ? "Verifying…" : "Verify integrity"}
      </Button>
      {state?.ok && state.data.brokenSeq === null ? (
        <p role="status" className="text-sm text-green-800">
          Chain intact: {state.data.checked} rows verified.
        </p>
      ) : null}
      {state?.ok && state.data.brokenSeq !== null ? (
        <p role="alert" className="text-sm text-red-800">
          Chain broken at row #{state.data.brokenSeq}: {state.data.reason}.
        </p>
      ) : null}
      {state && !state.ok ? (
        <p role="alert" className="text-sm text-red-800">
          {state.error.message}
        </p>
      ) : null}
    </form>
  );
}
