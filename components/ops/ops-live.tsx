"use client";

import { useRouter } from "next/navigation";
import { useEffect } from "react";

/**
 * The operator console reads again when alerts are raised, cleared or acknowledged (SSE from /api/ops/events;
 * the browser reconnects by itself). `<html data-live>` says whether the stream is connected.
 */
export function OpsLive() {
  const router = useRouter();
  useEffect(() => {
    const source = new EventSource("/api/ops/events");
    const root = document.documentElement;
    let timer: ReturnType<typeof setTimeout> | undefined;
    source.onopen = () => {
      root.dataset.live = "connected";
    };
    source.onerror = () => {
      root.dataset.live = "reconnecting";
    };
    source.addEventListener("change", () => {
      clearTimeout(timer);
      timer = setTimeout(() => router.refresh(), 300);
    });
    return () => {
      clearTimeout(timer);
      source.close();
      delete root.dataset.live;
    };
  }, [router]);
  return null;
}
