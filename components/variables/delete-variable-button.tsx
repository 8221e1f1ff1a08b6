"use client";

import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { Button } from "@/components/ui/button";
import { deleteVariableAction } from "@/server/actions/variables";

/** Soft delete with a confirmation; the variable stays restorable for 90 days. */
export function DeleteVariableButton({
  org,
  id,
  version,
  name,
  approval,
}: {
  org: string;
  id: string;
  version: number;
  name: string;
  /** Deleting it is HIGH (wedding-critical): ask for the reviewer's reason first. */
  approval: boolean;
}) {
  const router = useRouter();
  const [confirming, setConfirming] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [sent, setSent] = useState<string | null>(null);
  const [reason, setReason] = useState("");
  const [pending, start] = useTransition();
  const remove = () =>
    start(async () => {
      const form = new FormData();
      form.set("id", id);
      form.set("version", String(version));
      if (approval) form.set("reason", reason);
      const result = await deleteVariableAction(org, form);
      if (!result.ok)
        setError([result.error.message, ...Object.values(result.fieldErrors ?? {}).flat()].join(" "));
      else if (result.data.status === "requested") {
        setConfirming(false);
        setSent(`Deletion sent for approval (${result.data.riskLevel} risk).`);
      } else router.push(`/o/${org}/variables`);
    });
  if (sent)
    return (
      <p role="status" className="text-sm text-indigo-900">
        {sent}
      </p>
    );
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
      {approval ? (
        <input
          aria-label="Reason for the reviewer"
          placeholder="Reason (a reviewer approves this)"
          className="rounded-md border border-gray-300 px-2 py-1 text-sm"
          value={reason}
          onChange={(e) => setReason(e.target.value)}
        />
      ) : null}
      <Button type="button" variant="danger" onClick={remove} disabled={pending}>
        {approval ? "Request deletion" : "Confirm delete"}
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
