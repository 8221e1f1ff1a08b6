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
  ["/approvals", "Approvals"],
  ["/audit", "Audit"],
  ["/drift", "Drift"],
  ["/settings", "Settings"],
] as const;

/** The console's navigation; `waiting` is the number of emergency changes a reviewer has to acknowledge. */
export function SidebarNav({ orgSlug, waiting = 0 }: { orgSlug: string; waiting?: number }) {
  const pathname = usePathname();
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
              {path === "/approvals" && waiting > 0 ? (
                <span
                  role="status"
                  aria-label={`${waiting} emergency change${waiting === 1 ? "" : "s"} to review`}
                  className="pointer-events-none absolute right-2 top-1.5 rounded-full bg-red-500 px-1.5 text-xs font-semibold text-white"
                >
                  {waiting}
                </span>
              ) : null}
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
