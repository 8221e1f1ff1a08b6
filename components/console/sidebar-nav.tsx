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

export function SidebarNav({ orgSlug }: { orgSlug: string }) {
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
            <li key={label}>
              <Link
                href={href}
                aria-current={current ? "page" : undefined}
                className={`block rounded-md px-3 py-1.5 text-sm focus:outline-none focus-visible:ring-2 focus-visible:ring-indigo-400 ${
                  current ? "bg-indigo-600 text-white" : "text-gray-300 hover:bg-gray-800 hover:text-white"
                }`}
              >
                {label}
              </Link>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
