"use client";

import Link from "next/link";
import { useEffect, useState } from "react";
import { CHANGE_EVENT } from "./live-updates";

type Unhealthy = { id: string; name: string; platform: string; environment: string };

/**
 * A live alert when an integration turns UNHEALTHY while the console is open (the database's change event for
 * its health: migration 0036), on every page; it goes away when that integration recovers, or when dismissed.
 */
export function IntegrationAlert({ org }: { org: string }) {
  const [alert, setAlert] = useState<Unhealthy | null>(null);
  useEffect(() => {
    const on = (event: Event) => {
      const d = (event as CustomEvent).detail as Partial<Unhealthy> & { kind?: string; status?: string };
      if (d?.kind !== "integrations" || !d.id) return;
      if (d.status === "unhealthy")
        setAlert({
          id: d.id,
          name: d.name ?? "An integration",
          platform: d.platform ?? "",
          environment: d.environment ?? "",
        });
      else setAlert((current) => (current?.id === d.id ? null : current));
    };
    window.addEventListener(CHANGE_EVENT, on);
    return () => window.removeEventListener(CHANGE_EVENT, on);
  }, []);
  if (!alert) return null;
  return (
    <div
      role="alert"
      className="mb-4 flex flex-wrap items-center gap-3 rounded border border-red-300 bg-red-50 p-3 text-sm text-red-900"
    >
      <span>
        <strong>{alert.name}</strong> ({alert.platform}, {alert.environment}) is unhealthy.
      </span>
      <Link href={`/o/${org}/integrations/${alert.id}`} className="font-medium underline">
        Open it
      </Link>
      <button type="button" className="underline" onClick={() => setAlert(null)}>
        Dismiss
      </button>
    </div>
  );
}
