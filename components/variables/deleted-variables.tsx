"use client";

import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { restoreVariableAction } from "@/app/(console)/o/[org]/variables/actions";
import { Button } from "@/components/ui/button";

type Item = { id: string; name: string; deletedAt: Date | null };

/** Soft-deleted variables from the last 90 days, each restorable with its values and history. */
export function DeletedVariables({ org, items, timeZone }: { org: string; items: Item[]; timeZone: string }) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [pending, start] = useTransition();
  const restore = (id: string) =>
    start(async () => {
      const form = new FormData();
      form.set("id", id);
      const result = await restoreVariableAction(org, form);
      if (result.ok) router.refresh();
      else setError(result.error.message);
    });
  return (
    <section aria-labelledby="deleted-heading" className="space-y-2">
      <h2 id="deleted-heading" className="text-base font-semibold">
        Recently deleted
      </h2>
      {error ? (
        <p role="alert" className="text-sm text-red-700">
          {error}
        </p>
      ) : null}
      <ul className="divide-y divide-gray-200 rounded-md border border-gray-200 bg-white">
        {items.map((v) => (
          <li key={v.id} className="flex items-center justify-between px-4 py-2 text-sm">
            <span>
              <span className="font-mono">{v.name}</span>{" "}
              <span className="text-gray-500">
                deleted {v.deletedAt ? v.deletedAt.toLocaleString("en-GB", { timeZone }) : ""}
                {v.deletedAt
                  ? ` · restorable until ${new Date(v.deletedAt.getTime() + 90 * 86_400_000).toLocaleDateString("en-GB", { timeZone })}`
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
              Restore
            </Button>
          </li>
        ))}
      </ul>
    </section>
  );
}
