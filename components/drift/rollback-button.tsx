"use client";

import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { rollbackAction } from "@/app/(console)/o/[org]/drift/actions";
import { Button } from "@/components/ui/button";

/** Redeploys what an earlier completed sync pushed (the console's values stay as they are). */
export function RollbackButton({
  org,
  targetId,
  syncId,
  label,
}: {
  org: string;
  targetId: string;
  syncId: string;
  label: string;
}) {
  const router = useRouter();
  const [text, setText] = useState<string | null>(null);
  const [pending, start] = useTransition();
  return (
    <span className="inline-flex items-center gap-2">
      <Button
        type="button"
        size="sm"
        variant="ghost"
        disabled={pending}
        onClick={() =>
          start(async () => {
            const r = await rollbackAction(org, { id: targetId, syncId });
            setText(r.ok ? r.data.message : r.error.message);
            router.refresh();
          })
        }
      >
        Roll back to this<span className="sr-only"> ({label})</span>
      </Button>
      {text ? (
        <span role="status" className="text-xs text-gray-700">
          {text}
        </span>
      ) : null}
    </span>
  );
}
