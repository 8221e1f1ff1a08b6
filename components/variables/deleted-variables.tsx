"use client";

import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { formatDate, formatStamp } from "@/lib/format";
import { restoreVariableAction } from "@/server/actions/variables";

type Item = { id: string; name: string; deletedAt: Date | null };
type Outcome = { id: string; kind: "error" | "reason" | "requested"; text: string };

/**
 * Soft-deleted variables from the last 90 days, each restorable with its values and history. Restoring one
 * with a HIGH or CRITICAL value (e.g. a confidential production key) sets that value again: it waits for a
 * reviewer, so the row then asks for a reason.
 */
export function DeletedVariables({ org, items, timeZone }: { org: string; items: Item[]; timeZone: string }) {
  const router = useRouter();
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const [reason, setReason] = useState("");
  const [pending, start] = useTransition();
  const restore = (id: string) =>
    start(async () => {
      const form = new FormData();
      form.set("id", id);
      if (outcome?.id === id && reason) form.set("reason", reason);
      const result = await restoreVariableAction(org, form);
      if (result.ok && result.data.status === "requested")
        setOutcome({ id, kind: "requested", text: "Sent for approval: it waits on Approvals." });
      else if (result.ok) {
        setOutcome(null);
        router.refresh();
      } else if (result.fieldErrors?.reason)
        setOutcome({ id, kind: "reason", text: result.fieldErrors.reason[0] });
      else
        setOutcome({
          id,
          kind: "error",
          text: [result.error.message, ...(result.fieldErrors?.form ?? [])].join(" "),
        });
    });
  return (
    <section aria-labelledby="deleted-heading" className="space-y-2">
      <h2 id="deleted-heading" className="text-base font-semibold">
        Recently deleted
      </h2>
      <ul className="divide-y divide-gray-200 rounded-md border border-gray-200 bg-white">
        {items.map((v) => (
          <li key={v.id} className="space-y-2 px-4 py-2 text-sm">
            <div className="flex flex-wrap items-center justify-between gap-2">
              <span>
                <span className="font-mono">{v.name}</span>{" "}
                <span className="text-gray-500">
                  deleted {v.deletedAt ? formatStamp(v.deletedAt, timeZone) : ""}
                  {v.deletedAt
                    ? ` · restorable until ${formatDate(new Date(v.deletedAt.getTime() + 90 * 86_400_000), timeZone)}`
                    : ""}
                </span>
              </span>
              <Button
                type="button"
                size="sm"
                variant="secondary"
                onClick={() => restore(v.id)}
                disabled={pending}
                aria-label={`Restore ${v.name}`}
              >
                {outcome?.id === v.id && outcome.kind === "reason" ? "Send for approval" : "Restore"}
              </Button>
            </div>
            {outcome?.id === v.id && outcome.kind === "reason" ? (
              <div className="space-y-1 text-xs text-gray-700">
                <label htmlFor={`restore-reason-${v.id}`}>{outcome.text}</label>
                <Input
                  id={`restore-reason-${v.id}`}
                  value={reason}
                  onChange={(e) => setReason(e.target.value)}
                  maxLength={1000}
                />
              </div>
            ) : null}
            {outcome?.id === v.id && outcome.kind !== "reason" ? (
              <p role={outcome.kind === "error" ? "alert" : "status"} className="text-xs">
                {outcome.text}
              </p>
            ) : null}
          </li>
        ))}
      </ul>
    </section>
  );
}
