"use client";

import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { deleteVariableAction } from "@/app/(console)/o/[org]/variables/actions";
import { Button } from "@/components/ui/button";

/** Soft delete with a confirmation; the variable stays restorable for 90 days. */
export function DeleteVariableButton({
  org,
  id,
  version,
  name,
}: {
  org: string;
  id: string;
  version: number;
  name: string;
}) {
  const router = useRouter();
  const [confirming, setConfirming] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [pending, start] = useTransition();
  const remove = () =>
    start(async () => {
      const form = new FormData();
      form.set("id", id);
      form.set("version", String(version));
      const result = await deleteVariableAction(org, form);
      if (result.ok) router.push(`/o/${org}/variables`);
      else setError(result.error.message);
    });
  if (!confirming) {
    return (
      <Button type="button" variant="danger" onClick={() => setConfirming(true)}>
        Delete variable
      </Button>
    );
  }
  return (
    <div className="flex items-center gap-2">
      <span className="text-sm">Delete {name}? It can be restored for 90 days.</span>
      <Button type="button" variant="danger" onClick={remove} disabled={pending}>
        Confirm delete
      </Button>
      <Button type="button" variant="ghost" onClick={() => setConfirming(false)}>
        Cancel
      </Button>
      {error ? (
        <span role="alert" className="text-sm text-red-700">
          {error}
        </span>
      ) : null}
    </div>
  );
}
