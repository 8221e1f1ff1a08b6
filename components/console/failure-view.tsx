"use client";

import { useRouter } from "next/navigation";
import { startTransition, useEffect } from "react";
import { Button } from "@/components/ui/button";
import { UNAVAILABLE_DIGEST } from "@/lib/errors";
import { UNAVAILABLE_RETRY_SECONDS } from "@/lib/http/unavailable-page";

/**
 * What a console page shows when rendering it failed. Never the error's message (it could carry details);
 * the digest lets an operator find it in the logs. When the database did not answer (its digest says so) it
 * says that, and tries again by itself every few seconds until the page renders.
 */
export function FailureView({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  const router = useRouter();
  const unavailable = error.digest === UNAVAILABLE_DIGEST;
  useEffect(() => {
    if (!unavailable) return;
    const timer = setInterval(() => {
      startTransition(() => {
        router.refresh();
        reset();
      });
    }, UNAVAILABLE_RETRY_SECONDS * 1000);
    return () => clearInterval(timer);
  }, [unavailable, router, reset]);

  if (unavailable)
    return (
      <div className="space-y-3 rounded-lg border border-amber-200 bg-white p-6">
        <h1 className="text-lg font-semibold">Database unavailable — retrying</h1>
        <p className="text-sm text-gray-700">
          Ringbearer cannot reach its database right now. You are still signed in and nothing was changed.
          This page tries again every {UNAVAILABLE_RETRY_SECONDS} seconds.
        </p>
      </div>
    );
  return (
    <div role="alert" className="space-y-3 rounded-lg border border-red-200 bg-white p-6">
      <h1 className="text-lg font-semibold">Something went wrong</h1>
      <p className="text-sm text-gray-600">
        Nothing was changed. Try again; if it keeps happening, give an operator this reference:{" "}
        {error.digest ?? "n/a"}.
      </p>
      <Button onClick={reset}>Try again</Button>
    </div>
  );
}
