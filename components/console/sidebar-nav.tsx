"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";

const ITEMS = [
  ["", "Dashboard"],
  ["/variables", "Variables"],
  ["/matrix", "Matrix"],
  ["/compare", "Compare"],
  ["/environments", "Environments"],
  ["/access", "Access"],
  ["/tokens", "Tokens"],
  ["/webhooks", "Webhooks"],
  ["/destinations", "Destinations"],
  ["/integrations", "Integrations"],
  ["/api", "API"],
  ["/approvals", "Approvals"],
  ["/audit", "Audit"],
  ["/drift", "Drift"],
  ["/settings", "Settings"],
] as const;

const plural = (n: number, one: string) => `${n} ${one}${n === 1 ? "" : "s"}`;

/** What waits for a reviewer, as the Approvals badge names it. */
function waitingLabel({ requests, reviews }: { requests: number; reviews: number }) {
  return [
    requests > 0 ? `${plural(requests, "change request")} to approve` : null,
    reviews > 0 ? `${plural(reviews, "emergency change")} to review` : null,
  ]
    .filter(Boolean)
    .join(" and ");
}

/** A count next to a navigation item, with what it counts in words for screen readers. */
function CountBadge({ count, label, tone }: { count: number; label: string; tone: "red" | "amber" }) {
  return (
    <span
      role="status"
      aria-label={label}
      className={`pointer-events-none absolute right-2 top-1.5 rounded-full px-1.5 text-xs font-semibold ${
        tone === "red" ? "bg-red-700 text-white" : "bg-amber-400 text-gray-900"
      }`}
    >
      {count}
    </span>
  );
}

/**
 * The console's navigation; `waiting` counts what a reviewer has to approve or acknowledge, `drift` what
 * is unresolved on the Drift page (red when any of it is critical).
 */
export function SidebarNav({
  orgSlug,
  waiting = { requests: 0, reviews: 0 },
  drift = { open: 0, critical: 0 },
}: {
  orgSlug: string;
  waiting?: { requests: number; reviews: number };
  drift?: { open: number; critical: number };
}) {
  const pathname = usePathname();
  const total = waiting.requests + waiting.reviews;
  const base = `/o/${orgSlug}`;
  return (
    <nav aria-label="Console">
      <ul className="space-y-0.5">
        {ITEMS.map(([path, label]) => {
          const href = `${base}${path}`;
          const current =
            path === "" ? pathname === base : pathname === href || pathname.startsWith(`${href}/`);
          return (
            <li key={label} className="relative">
              <Link
                href={href}
                aria-current={current ? "page" : undefined}
                className={`block rounded-md px-3 py-1.5 text-sm focus:outline-none focus-visible:ring-2 focus-visible:ring-indigo-400 ${
                  current ? "bg-indigo-600 text-white" : "text-gray-300 hover:bg-gray-800 hover:text-white"
                }`}
              >
                {label}
              </Link>
              {path === "/approvals" && total > 0 ? (
                <CountBadge count={total} label={waitingLabel(waiting)} tone="red" />
              ) : null}
              {path === "/drift" && drift.open > 0 ? (
                <CountBadge
                  count={drift.open}
                  label={`${drift.open} unresolved drift${drift.critical ? `, ${drift.critical} critical` : ""}`}
                  tone={drift.critical > 0 ? "red" : "amber"}
                />
              ) : null}
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
