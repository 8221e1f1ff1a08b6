"use client";

import { useRouter } from "next/navigation";
import { useEffect } from "react";

/** setTimeout's longest delay (about 24.8 days); longer waits are taken in steps. */
const MAX_DELAY = 2_147_000_000;

/**
 * The start and end of a wedding-hours lock are time events, not database writes: no change notification
 * announces them. The page knows how long until the next one (measured on the server, so the browser's clock
 * does not matter) and refreshes itself then: the banner comes or goes, controls lock or unlock, no reload.
 * Also on returning to a tab whose timers were throttled. The refreshed page renders the next change.
 */
export function LockClock({ changesInMs }: { changesInMs: number }) {
  const router = useRouter();
  useEffect(() => {
    // A little after the end, and never sooner than a second (a refresh that still finds the lock waits again).
    const deadline = Date.now() + Math.max(changesInMs, 0) + 1000;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const due = () => Date.now() >= deadline;
    const wait = () => {
      timer = setTimeout(
        () => (due() ? router.refresh() : wait()),
        Math.min(deadline - Date.now(), MAX_DELAY),
      );
    };
    const onVisible = () => {
      if (document.visibilityState === "visible" && due()) router.refresh();
    };
    wait();
    document.addEventListener("visibilitychange", onVisible);
    return () => {
      clearTimeout(timer);
      document.removeEventListener("visibilitychange", onVisible);
    };
  }, [changesInMs, router]);
  return null;
}
