"use client";

import { useRouter } from "next/navigation";
import { useEffect, useRef } from "react";
import { CHANGE_EVENT } from "@/components/console/live-updates";
import { Badge } from "@/components/ui/badge";

export type RotationView = {
  status: "running" | "paused" | "completed" | "failed";
  statusReason: string | null;
  total: number;
  processed: number;
  succeeded: number;
  failed: number;
  remaining: number;
  percent: number;
  ratePerSecond: number;
  etaSeconds: number | null;
  /** Formatted in the organization's time zone by the page. */
  startedAt: string;
  finishedAt: string | null;
  version: number;
  /** Formatted; null until value hashes moved to the new hash key (at the end, in one step). */
  hashesSwappedAt: string | null;
  hashKeyId: string | null;
};

const tone = { running: "indigo", paused: "amber", completed: "green", failed: "red" } as const;
const number = (n: number) => n.toLocaleString("en-GB");

/**
 * The latest rotation: a progress bar and its figures, kept live while it runs — the page is refreshed on the
 * rotation's change events (kind `keys`, at most once a second from the database), and every 3 s as well in case
 * the event stream is reconnecting.
 */
export function RotationProgress({ rotation }: { rotation: RotationView }) {
  const router = useRouter();
  const last = useRef(0);
  const open = rotation.status === "running" || rotation.status === "paused";
  useEffect(() => {
    if (!open) return;
    const refresh = () => {
      if (Date.now() - last.current < 700) return;
      last.current = Date.now();
      router.refresh();
    };
    const on = (event: Event) => {
      if ((event as CustomEvent).detail?.kind === "keys") refresh();
    };
    window.addEventListener(CHANGE_EVENT, on);
    const poll = setInterval(refresh, 3000);
    return () => {
      window.removeEventListener(CHANGE_EVENT, on);
      clearInterval(poll);
    };
  }, [open, router]);
  const figures: [string, string][] = [
    ["Processed", number(rotation.processed)],
    ["Succeeded", number(rotation.succeeded)],
    ["Failed", number(rotation.failed)],
    ["Remaining", number(rotation.remaining)],
    ["Rate", `${number(rotation.ratePerSecond)} rows/s`],
    ["Started", rotation.startedAt],
    [
      rotation.finishedAt ? "Finished" : "Time left",
      rotation.finishedAt
        ? rotation.finishedAt
        : rotation.etaSeconds === null
          ? "—"
          : `about ${Math.max(1, Math.round(rotation.etaSeconds))} s`,
    ],
  ];
  return (
    <section aria-label="Latest rotation" className="space-y-3">
      <div className="flex flex-wrap items-center gap-2">
        <h2 className="text-lg font-semibold">Rotation to version {rotation.version}</h2>
        <Badge tone={tone[rotation.status]}>{rotation.status}</Badge>
      </div>
      {rotation.statusReason ? <p className="text-sm text-gray-700">{rotation.statusReason}</p> : null}
      {rotation.hashKeyId ? (
        <p className="text-sm text-gray-700" data-testid="hash-key-state">
          {rotation.hashesSwappedAt
            ? `Value hashes moved to the new hash key at ${rotation.hashesSwappedAt}.`
            : "Value hashes move to the new hash key in one step once every row is re-encrypted; until then they stay comparable under the current one."}
        </p>
      ) : null}
      <div
        role="progressbar"
        aria-label="Re-encryption progress"
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={rotation.percent}
        aria-valuetext={`${rotation.percent} % (${number(rotation.processed)} of ${number(rotation.processed + rotation.remaining)} rows)`}
        className="h-3 w-full overflow-hidden rounded bg-gray-200"
      >
        <div className="h-full bg-indigo-600 transition-all" style={{ width: `${rotation.percent}%` }} />
      </div>
      <p className="text-sm font-medium" data-testid="rotation-percent">
        {rotation.percent} %
      </p>
      <dl className="grid grid-cols-2 gap-x-6 gap-y-1 text-sm sm:grid-cols-4">
        {figures.map(([label, value]) => (
          <div key={label}>
            <dt className="text-gray-600">{label}</dt>
            <dd className="font-medium">{value}</dd>
          </div>
        ))}
      </dl>
    </section>
  );
}
