"use client";

import { useRouter } from "next/navigation";
import { useEffect } from "react";

/** setTimeout's longest delay (about 24.8 days); longer waits are taken in steps. */
const MAX_DELAY = 2_147_000_000;

/**
 * The end of a wedding-hours lock is a time event, not a database write: no change notification announces
 * it. The page knows how long the lock has left (measured on the server, so the browser's clock does not
 * matter) and refreshes itself when it ends: the banner goes, controls unlock, no reload. Also on returning
 * to a tab whose timers were throttled. A lock that continues (another window) renders a new end.
 */
export function LockClock({ endsInMs }: { endsInMs: number }) {
  const router = useRouter();
  useEffect(() => {
    // A little after the end, and never sooner than a second (a refresh that still finds the lock waits again).
    const deadline = Date.now() + Math.max(endsInMs, 0) + 1000;
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
  }, [endsInMs, router]);
  return null;
}
