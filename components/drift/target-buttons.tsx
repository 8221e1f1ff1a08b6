"use client";

import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { Button } from "@/components/ui/button";
import type { ActionResult } from "@/lib/errors";
import { pushTargetAction, scanTargetAction, testTargetAction } from "@/server/actions/drift";

type Outcome = { ok?: boolean; status?: string; message: string };

/** Test the connection, scan for drift, or push the environment to one target; says what happened. */
export function TargetButtons({
  org,
  id,
  name,
  active,
  canTest,
  canScan,
  canPush,
}: {
  org: string;
  id: string;
  name: string;
  active: boolean;
  /** Owners and admins (who manage targets). */
  canTest: boolean;
  /** Whoever may read every value of the target's environment (a scan compares them all). */
  canScan: boolean;
  canPush: boolean;
}) {
  const router = useRouter();
  const [result, setResult] = useState<{ ok: boolean; text: string } | null>(null);
  const [pending, start] = useTransition();
  const run = (action: (org: string, input: { id: string }) => Promise<ActionResult<Outcome>>) =>
    start(async () => {
      setResult(null);
      const r = await action(org, { id });
      if (!r.ok)
        setResult({
          ok: false,
          text: [r.error.message, ...Object.values(r.fieldErrors ?? {}).flat()].join(" "),
        });
      else setResult({ ok: r.data.ok ?? r.data.status === "completed", text: r.data.message });
      router.refresh();
    });
  return (
    <div className="space-y-1">
      <div className="flex flex-wrap gap-2">
        {canTest ? (
          <Button
            type="button"
            size="sm"
            variant="secondary"
            disabled={pending}
            onClick={() => run(testTargetAction)}
            aria-label={`Test ${name}`}
          >
            Test
          </Button>
        ) : null}
        {active && canScan ? (
          <Button
            type="button"
            size="sm"
            variant="secondary"
            disabled={pending}
            onClick={() => run(scanTargetAction)}
            aria-label={`Scan ${name}`}
          >
            Scan
          </Button>
        ) : null}
        {active && canPush ? (
          <Button
            type="button"
            size="sm"
            disabled={pending}
            onClick={() => run(pushTargetAction)}
            aria-label={`Push to ${name}`}
          >
            Push
          </Button>
        ) : null}
      </div>
      {pending ? <p className="text-xs text-gray-600">Working…</p> : null}
      {result ? (
        <p
          role={result.ok ? "status" : "alert"}
          className={`text-xs ${result.ok ? "text-green-800" : "text-red-700"}`}
        >
          {result.text}
        </p>
      ) : null}
    </div>
  );
}
