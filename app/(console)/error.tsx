"use client";

import { FailureView } from "@/components/console/failure-view";

/** Errors of the organization's layout itself (its own error.tsx covers only the pages below it). */
export default function ConsoleLayoutError(props: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <main className="mx-auto max-w-lg p-10">
      <FailureView {...props} />
    </main>
  );
}
