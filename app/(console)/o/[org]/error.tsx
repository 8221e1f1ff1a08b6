"use client";

import { FailureView } from "@/components/console/failure-view";

export default function ConsoleError(props: { error: Error & { digest?: string }; reset: () => void }) {
  return <FailureView {...props} />;
}
