"use client";

import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { restoreVersionAction } from "@/app/(console)/o/[org]/variables/actions";
import { Button } from "@/components/ui/button";

type Props = {
  org: string;
  variableId: string;
  environment: { id: string; name: string };
  version: number;
  /** The value's current version (0 = not set): the restore is refused if it moved since. */
  currentVersion: number;
};

/** Restores an earlier version as a new version; the old one stays in the history. */
export function RestoreVersionButton({ org, variableId, environment, version, currentVersion }: Props) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [pending, start] = useTransition();
  const restore = () =>
    start(async () => {
      setError(null);
      const result = await restoreVersionAction(org, {
        variableId,
        environmentId: environment.id,
        version,
        expectedVersion: currentVersion,
      });
      if (result.ok) router.refresh();
      else setError([result.error.message, ...Object.values(result.fieldErrors ?? {}).flat()].join(" "));
    });
  return (
    <span className="inline-flex items-center gap-2">
      <Button
        type="button"
        variant="secondary"
        size="sm"
        onClick={restore}
        disabled={pending}
        aria-label={`Restore ${environment.name} v${version}`}
      >
        {pending ? "Restoring…" : "Restore"}
      </Button>
      {error ? (
        <span role="alert" className="text-xs text-red-700">
          {error}
        </span>
      ) : null}
    </span>
  );
}
