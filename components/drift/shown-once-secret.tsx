/** A generated shared secret for an HTTP receiver, shown this once (only its sealed form is kept). */
export function ShownOnceSecret({ secret, testId }: { secret: string; testId: string }) {
  return (
    <div role="status" className="rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-900">
      Give this shared secret to the receiver as <code>RINGBEARER_TARGET_SECRET</code>; it is not shown again:{" "}
      <code data-testid={testId} className="break-all">
        {secret}
      </code>
    </div>
  );
}
