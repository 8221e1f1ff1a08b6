"use client";

import { type ReactNode, useCallback, useState } from "react";
import type { ActionResult } from "@/lib/errors";
import { StepUpDialog } from "./step-up-dialog";

type Pending = { totp: boolean; resolve: (confirmed: boolean) => void };

/**
 * Wraps an action call: when the server answers `reauth_required`, shows the step-up dialog and, once the
 * user has confirmed it is them, retries the call once. Render `dialog` somewhere outside any form.
 */
export function useStepUp(): {
  withStepUp: <T>(call: () => Promise<ActionResult<T>>) => Promise<ActionResult<T>>;
  dialog: ReactNode;
} {
  const [pending, setPending] = useState<Pending | null>(null);

  const withStepUp = useCallback(async <T,>(call: () => Promise<ActionResult<T>>) => {
    const first = await call();
    if (first.ok || first.error.code !== "reauth_required") return first;
    const confirmed = await new Promise<boolean>((resolve) =>
      setPending({ totp: first.error.meta?.totp === true, resolve }),
    );
    setPending(null);
    return confirmed ? call() : first;
  }, []);

  const dialog = pending ? <StepUpDialog totp={pending.totp} onDone={pending.resolve} /> : null;
  return { withStepUp, dialog };
}
