import Link from "next/link";
import { Badge } from "@/components/ui/badge";
import { Card } from "@/components/ui/card";
import { formatStamp } from "@/lib/format";
import type { ChecklistItem, ChecklistKey, PrecheckTrigger } from "@/lib/precheck";
import { PrecheckRunForm } from "./precheck-run-form";

/** Where on-call staff act on a line of the checklist. */
const WHERE: Partial<Record<ChecklistKey, { path: string; text: string }>> = {
  drift: { path: "/drift", text: "Resolve drift" },
  syncs: { path: "/environments", text: "See the environments" },
  missing: { path: "/variables", text: "See missing variables" },
  credentials: { path: "/variables", text: "See the variables" },
  data_key: { path: "/settings/keys", text: "See the keys" },
  integrations: { path: "/integrations", text: "See the integrations" },
  change_requests: { path: "/approvals", text: "See the change requests" },
};

const BY: Record<PrecheckTrigger, string> = {
  scheduled: "scheduled",
  on_demand: "on demand",
  operator: "run by an operator",
};

export type PrecheckView = {
  window: { startsAt: Date; endsAt: Date } | null;
  run: {
    ranAt: Date;
    trigger: PrecheckTrigger;
    requestedBy: string | null;
    attention: number;
    checklist: ChecklistItem[];
  } | null;
  scheduledAt: Date | null;
  canRun: boolean;
};

/**
 * The Saturday pre-check on the dashboard: from 48 hours before wedding hours until they end, the latest run's
 * checklist of the protected environments (the same counts for every member), and a button to run it again.
 */
export function WeddingPrecheck({
  org,
  timeZone,
  view,
}: {
  org: string;
  timeZone: string;
  view: PrecheckView;
}) {
  const { window, run } = view;
  const at = (d: Date) => formatStamp(d, timeZone);
  return (
    <Card>
      <section aria-label="Pre-check before wedding hours" className="space-y-3 p-4">
        <div className="flex flex-wrap items-center justify-between gap-2">
          <h2 className="text-base font-semibold">Pre-check before wedding hours</h2>
          {run ? (
            <Badge tone={run.attention === 0 ? "green" : "amber"}>
              {run.attention === 0 ? "all clear" : `${run.attention} to look at`}
            </Badge>
          ) : null}
        </div>
        {window ? (
          <p className="text-sm text-gray-700">
            Wedding hours: {at(window.startsAt)} – {at(window.endsAt)}.
          </p>
        ) : null}
        {run ? (
          <>
            <p className="text-xs text-gray-600">
              Checked {at(run.ranAt)} ({BY[run.trigger]}
              {run.requestedBy ? ` by ${run.requestedBy}` : ""}).
            </p>
            <ul className="space-y-2 text-sm" aria-label="Pre-check">
              {run.checklist.map((item) => (
                <li key={item.key} aria-label={item.label} className="flex flex-wrap items-baseline gap-2">
                  <Badge tone={item.ok ? "green" : "amber"}>{item.ok ? "ok" : "look"}</Badge>
                  <span className="font-medium">{item.label}</span>
                  {item.details.map((d) => (
                    <span key={d} className="text-gray-800">
                      {d}
                    </span>
                  ))}
                  {item.at ? <span className="text-gray-700">({at(new Date(item.at))})</span> : null}
                  {!item.ok && WHERE[item.key] ? (
                    <Link
                      href={`/o/${org}${WHERE[item.key]?.path}`}
                      className="text-indigo-700 underline hover:text-indigo-900"
                    >
                      {WHERE[item.key]?.text}
                    </Link>
                  ) : null}
                </li>
              ))}
            </ul>
          </>
        ) : (
          <p className="text-sm text-gray-800">
            Not checked yet for these wedding hours
            {view.scheduledAt ? `; the scheduled run is at ${at(view.scheduledAt)}` : ""}.
          </p>
        )}
        {view.canRun ? <PrecheckRunForm org={org} /> : null}
      </section>
    </Card>
  );
}
