import type { ActionResult } from "@/lib/errors";

type Outcome = { status?: string; riskLevel?: string };

/** True when a submitted change waits for a reviewer instead of applying. */
export const wasRequested = (state: ActionResult<unknown> | null) =>
  Boolean(state?.ok && (state.data as Outcome | null)?.status === "requested");

/** What the author sees when their change waits for approval instead of applying. */
export function SentForApproval({ org, state }: { org: string; state: ActionResult<unknown> | null }) {
  if (!state?.ok || !wasRequested(state)) return null;
  const { riskLevel } = state.data as Outcome;
  return (
    <p role="status" className="rounded-md bg-indigo-50 px-3 py-2 text-sm text-indigo-900">
      Sent for approval ({riskLevel} risk): a reviewer must approve it before it applies. It waits on{" "}
      <a className="underline" href={`/o/${org}/approvals`}>
        Approvals
      </a>
      .
    </p>
  );
}
