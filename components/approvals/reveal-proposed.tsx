"use client";

import { useState, useTransition } from "react";
import { useStepUp } from "@/components/auth/use-step-up";
import { Button } from "@/components/ui/button";
import { revealProposedAction } from "@/server/actions/approvals";

/** The proposed value, masked until a deliberate, audited reveal. */
export function RevealProposed({
  org,
  id,
  variableId,
  name,
}: {
  org: string;
  id: string;
  variableId: string;
  name: string;
}) {
  const [value, setValue] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [pending, start] = useTransition();
  const stepUp = useStepUp();
  if (value !== null)
    return (
      <span className="inline-flex items-center gap-2">
        <code
          data-testid={`proposed-${name}`}
          className="break-all rounded bg-amber-50 px-1.5 py-0.5 text-xs"
        >
          {value}
        </code>
        <Button type="button" variant="ghost" size="sm" onClick={() => setValue(null)}>
          Hide
        </Button>
      </span>
    );
  return (
    <span className="inline-flex items-center gap-2">
      <Button
        type="button"
        variant="secondary"
        size="sm"
        disabled={pending}
        aria-label={`Reveal proposed ${name}`}
        onClick={() =>
          start(async () => {
            setError(null);
            const result = await stepUp.withStepUp(() => revealProposedAction(org, { id, variableId }));
            if (result.ok) setValue(result.data.value);
            else setError(result.error.message);
          })
        }
      >
        {pending ? "Revealing…" : "Reveal"}
      </Button>
      {error ? (
        <span role="alert" className="text-xs text-red-700">
          {error}
        </span>
      ) : null}
      {stepUp.dialog}
    </span>
  );
}
