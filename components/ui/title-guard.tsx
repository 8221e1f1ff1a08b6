"use client";

import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useEffect } from "react";

const CHECK_MS = 250;
/** Checks with no skeleton on screen before the head counts as lost: it streams just after the page. */
const GRACE_CHECKS = 3;

/**
 * Puts the window's title back when a client navigation loses it. Next 16 commits a navigation with an empty head
 * when a link is followed while its loading-boundary prefetch is still in flight (vercel/next.js#98684): the page
 * renders, but `<title>` never arrives, and the tab (and a screen reader's "page loaded") names nothing. After each
 * navigation, once the page's skeleton has gone and the head has had its moment, an empty title means it was lost:
 * one refresh of the route brings the head back (client state is kept). Nothing happens while the title is there.
 */
export function TitleGuard() {
  const pathname = usePathname();
  const search = useSearchParams().toString();
  const router = useRouter();
  // biome-ignore lint/correctness/useExhaustiveDependencies: pathname and search are what re-arm the check
  useEffect(() => {
    let settled = 0;
    const timer = setInterval(() => {
      if (document.title) return clearInterval(timer);
      if (document.querySelector('[aria-busy="true"]')) return; // still loading: the head comes with the page
      if (++settled < GRACE_CHECKS) return;
      clearInterval(timer);
      router.refresh();
    }, CHECK_MS);
    return () => clearInterval(timer);
  }, [pathname, search, router]);
  return null;
}
