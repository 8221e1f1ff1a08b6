"use client";

import { usePathname } from "next/navigation";
import { useEffect, useRef, useState } from "react";
import { SidebarNav } from "./sidebar-nav";

type Props = {
  orgSlug: string;
  orgName: string;
  waiting?: { requests: number; reviews: number };
  drift?: { open: number; critical: number };
};

/**
 * The console's side bar from `md` up; below it, a top bar whose Menu button discloses the same navigation.
 * The menu remembers the path it was opened on, so any navigation closes it; so do Escape (focus returns to
 * the button) and choosing a link.
 */
export function ConsoleNav({ orgSlug, orgName, waiting, drift }: Props) {
  const pathname = usePathname();
  const [openOn, setOpenOn] = useState<string | null>(null);
  const open = openOn === pathname;
  const button = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (!open) return;
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.key !== "Escape") return;
      setOpenOn(null);
      button.current?.focus();
    };
    document.addEventListener("keydown", onKeyDown);
    return () => document.removeEventListener("keydown", onKeyDown);
  }, [open]);
  const attention = (waiting?.requests ?? 0) + (waiting?.reviews ?? 0) + (drift?.open ?? 0) > 0;
  return (
    <aside className="bg-gray-900 text-white md:w-56 md:shrink-0 md:px-3 md:py-5">
      <div className="flex items-center justify-between gap-3 px-4 py-2 md:block md:p-0">
        <div className="min-w-0">
          <p className="text-lg font-semibold tracking-tight md:px-3">Ringbearer</p>
          <p className="truncate text-xs text-gray-300 md:mb-6 md:px-3">{orgName}</p>
        </div>
        <button
          ref={button}
          type="button"
          aria-expanded={open}
          aria-controls="console-nav"
          onClick={() => setOpenOn(open ? null : pathname)}
          className="inline-flex items-center gap-2 rounded-md border border-gray-600 px-3 py-1.5 text-sm font-medium hover:bg-gray-800 focus:outline-none focus-visible:ring-2 focus-visible:ring-indigo-300 md:hidden"
        >
          Menu
          {attention ? (
            <>
              <span aria-hidden="true" className="h-2 w-2 rounded-full bg-amber-400" />
              <span className="sr-only">(something waits for you)</span>
            </>
          ) : null}
        </button>
      </div>
      {/* biome-ignore lint/a11y/noStaticElementInteractions: closes the menu when one of its links is chosen */}
      {/* biome-ignore lint/a11y/useKeyWithClickEvents: links are activated by keyboard too, which clicks them */}
      <div
        id="console-nav"
        className={`${open ? "block" : "hidden"} border-t border-gray-800 px-3 pb-4 pt-2 md:block md:border-0 md:p-0`}
        onClick={(event) => {
          if ((event.target as HTMLElement).closest("a")) setOpenOn(null);
        }}
      >
        <SidebarNav orgSlug={orgSlug} waiting={waiting} drift={drift} />
      </div>
    </aside>
  );
}
