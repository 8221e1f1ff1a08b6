"use client";

import { useRouter } from "next/navigation";
import { useEffect } from "react";

export const CHANGE_EVENT = "ringbearer:change";

/**
 * Subscribes to the organization's change events (SSE; the browser reconnects by itself, e.g. after a server
 * restart) and refreshes what is on screen: server components via router.refresh(), client caches (the
 * matrix's TanStack Query pages) via a window event. `<html data-live>` says whether the stream is connected
 * ("connected", "reconnecting"): the subscription exists once the stream is open.
 */
export function LiveUpdates({ org }: { org: string }) {
  const router = useRouter();
  useEffect(() => {
    const source = new EventSource(`/api/o/${org}/events`);
    let timer: ReturnType<typeof setTimeout> | undefined;
    const root = document.documentElement;
    source.onopen = () => {
      root.dataset.live = "connected";
    };
    source.onerror = () => {
      root.dataset.live = "reconnecting";
    };
    source.addEventListener("change", (message) => {
      const detail = JSON.parse((message as MessageEvent).data);
      // A key rotation's progress (once a second while it runs) is the keys page's own to show: no page-wide
      // refresh for it, and no debounce that a steady stream of them would hold off forever.
      if (detail?.kind === "keys") {
        window.dispatchEvent(new CustomEvent(CHANGE_EVENT, { detail }));
        return;
      }
      clearTimeout(timer);
      timer = setTimeout(() => {
        window.dispatchEvent(new CustomEvent(CHANGE_EVENT, { detail }));
        router.refresh();
      }, 300);
    });
    return () => {
      clearTimeout(timer);
      source.close();
      delete root.dataset.live;
    };
  }, [org, router]);
  return null;
}
