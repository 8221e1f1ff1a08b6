import type { ActionResult } from "@/lib/errors";

/** The outcome of a form submit: the server's message when refused, an optional note when it worked. */
export function FormMessage({ state, success }: { state: ActionResult<unknown> | null; success?: string }) {
  if (!state) return null;
  if (state.ok) {
    return success ? (
      <p role="status" className="rounded-md bg-green-50 px-3 py-2 text-sm text-green-800">
        {success}
      </p>
    ) : null;
  }
  // A refusal of the whole form (e.g. "locked until Sunday 23:59") says more than the code's message.
  const details = state.fieldErrors?.form ?? [];
  return (
    <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-800">
      {state.error.message}
      {details.map((d) => (
        <span key={d} className="block">
          {d}
        </span>
      ))}
    </p>
  );
}
