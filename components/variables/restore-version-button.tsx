"use client";

import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { Button } from "@/components/ui/button";
import { restoreVersionAction } from "@/server/actions/variables";

type Props = {
  org: string;
  variableId: string;
  environment: { id: string; name: string };
  version: number;
  /** The value's current version (0 = not set): the restore is refused if it moved since. */
  currentVersion: number;
  /** The restore waits for a reviewer: ask for the reason first. */
  approval: boolean;
};

/** Restores an earlier version as a new version; the old one stays in the history. */
export function RestoreVersionButton({
  org,
  variableId,
  environment,
  version,
  currentVersion,
  approval,
}: Props) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [asking, setAsking] = useState(false);
  const [reason, setReason] = useState("");
  const [pending, start] = useTransition();
  const label = `Restore ${environment.name} v${version}`;
  const restore = () =>
    start(async () => {
      setError(null);
      const result = await restoreVersionAction(org, {
        variableId,
        environmentId: environment.id,
        version,
        expectedVersion: currentVersion,
        ...(approval ? { reason } : {}),
      });
      if (!result.ok)
        setError([result.error.message, ...Object.values(result.fieldErrors ?? {}).flat()].join(" "));
      else if (result.data.status === "requested") {
        setAsking(false);
        setNotice(`Sent for approval (${result.data.riskLevel} risk).`);
      } else router.refresh();
    });
  if (notice)
    return (
      <span role="status" className="text-xs text-indigo-900">
        {notice}
      </span>
    );
  return (
    <span className="inline-flex flex-wrap items-center gap-2">
      {asking ? (
        <input
          aria-label={`Reason to restore ${environment.name} v${version}`}
          placeholder="Reason for the reviewer"
          className="rounded-md border border-gray-300 px-2 py-1 text-sm"
          value={reason}
          onChange={(e) => setReason(e.target.value)}
        />
      ) : null}
      <Button
        type="button"
        variant="secondary"
        size="sm"
        onClick={approval && !asking ? () => setAsking(true) : restore}
        disabled={pending}
        aria-label={approval && asking ? `Request ${label}` : label}
      >
        {pending ? "Restoring…" : approval && asking ? "Request approval" : "Restore"}
      </Button>
      {error ? (
        <span role="alert" className="text-xs text-red-700">
          {error}
        </span>
      ) : null}
    </span>
  );
}
