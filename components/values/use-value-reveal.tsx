"use client";

import { useCallback, useState, useTransition } from "react";
import { useStepUp } from "@/components/auth/use-step-up";
import type { RevealedValue } from "@/components/values/value-actions";
import type { ActionResult } from "@/lib/errors";
import { maskedValue } from "@/lib/mask";

/**
 * The deliberate, audited reveal of one value: the call goes through step-up (a recent re-authentication,
 * asked for in a dialog when the server wants one) and the plaintext lives only in this state until hidden.
 * Render `dialog` outside any form.
 */
export function useValueReveal(reveal: () => Promise<ActionResult<RevealedValue>>) {
  const [value, setValue] = useState<string | null>(null);
  const [resolved, setResolved] = useState<RevealedValue["resolved"]>(null);
  const [error, setError] = useState<string | null>(null);
  const [pending, start] = useTransition();
  const stepUp = useStepUp();
  const show = () =>
    start(async () => {
      setError(null);
      const result = await stepUp.withStepUp(reveal);
      if (result.ok) {
        setValue(result.data.value);
        setResolved(result.data.resolved);
      } else setError(result.error.message);
    });
  // Stable, so effects that hide the value after a save can depend on it.
  const hide = useCallback(() => {
    setValue(null);
    setResolved(null);
  }, []);
  return { value, resolved, error, pending, show, hide, dialog: stepUp.dialog };
}

/**
 * A value as the editor shows it: masked, or (once revealed) in a scrollable box, as written — a reference shows
 * as `${KEY}` — with what its references resolve to beneath it.
 */
export function ValueDisplay({
  value,
  resolved = null,
  label,
  testId,
}: {
  value: string | null;
  resolved?: RevealedValue["resolved"];
  label: string;
  testId: string;
}) {
  if (value === null)
    return (
      <span role="img" aria-label="masked value" className="font-mono">
        {maskedValue()}
      </span>
    );
  return (
    <section
      aria-label={label}
      // biome-ignore lint/a11y/noNoninteractiveTabindex: a long value scrolls; keyboard users scroll it too
      tabIndex={0}
      className="max-h-40 min-w-0 flex-1 relative overflow-auto rounded bg-amber-50 px-2 py-1 focus:outline-none focus-visible:ring-2 focus-visible:ring-indigo-500"
    >
      <pre data-testid={testId} className="whitespace-pre-wrap break-all font-mono text-sm">
        {value}
      </pre>
      {resolved ? (
        <div className="mt-1 border-t border-amber-200 pt-1 text-sm">
          <span className="text-xs font-medium text-gray-700">Resolves to</span>
          {"value" in resolved ? (
            <pre data-testid={`${testId}-resolved`} className="whitespace-pre-wrap break-all font-mono">
              {resolved.value}
            </pre>
          ) : (
            <p data-testid={`${testId}-resolved`} className="text-red-700">
              {resolved.problem}
            </p>
          )}
        </div>
      ) : null}
    </section>
  );
}

/** Why a reveal was refused. */
export function RevealError({ error }: { error: string | null }) {
  return error ? (
    <p role="alert" className="text-sm text-red-700">
      {error}
    </p>
  ) : null;
}
