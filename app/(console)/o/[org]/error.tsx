"use client";

import { Button } from "@/components/ui/button";

/** Never shows the error's message (it could carry details); the digest lets an operator find it in the logs. */
export default function ConsoleError({
  error,
  reset,
}: {
  error: Error & { digest?: string };
  reset: () => void;
}) {
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
