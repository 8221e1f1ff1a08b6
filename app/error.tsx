"use client";

import { FailureView } from "@/components/console/failure-view";

/** Errors of pages outside the console's own boundaries (e.g. the home page that picks an organization). */
export default function RootError(props: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <main className="mx-auto max-w-lg p-10">
      <FailureView {...props} />
    </main>
  );
}
