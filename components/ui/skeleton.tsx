import { PageHeader } from "./page-header";

/** A grey bar standing in for text that is on its way; still when the user asks for reduced motion. */
export function SkeletonBar({ className = "h-4 w-full" }: { className?: string }) {
  return <span className={`block rounded bg-gray-200 motion-safe:animate-pulse ${className}`} />;
}

type Shape = "table" | "cards" | "form" | "sections";

const WIDTHS = ["w-2/3", "w-1/2", "w-3/4", "w-5/12", "w-7/12", "w-1/3"];

function Placeholder({ shape, rows }: { shape: Shape; rows: number }) {
  const lines = Array.from({ length: rows }, (_, i) => WIDTHS[i % WIDTHS.length]);
  switch (shape) {
    case "cards":
      return (
        <div className="grid gap-4 sm:grid-cols-2 lg:grid-cols-3">
          {lines.map((w, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: placeholders have no identity
            <div key={i} className="space-y-3 rounded-lg border border-gray-200 bg-white p-4">
              <SkeletonBar className="h-5 w-1/3" />
              <SkeletonBar className={`h-4 ${w}`} />
              <SkeletonBar className="h-4 w-1/2" />
            </div>
          ))}
        </div>
      );
    case "form":
      return (
        <div className="max-w-2xl space-y-5">
          {lines.map((w, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: placeholders have no identity
            <div key={i} className="space-y-2">
              <SkeletonBar className="h-3 w-32" />
              <SkeletonBar className={`h-9 ${w}`} />
            </div>
          ))}
        </div>
      );
    case "sections":
      return (
        <div className="space-y-8">
          {lines.slice(0, 3).map((w, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: placeholders have no identity
            <div key={i} className="space-y-3">
              <SkeletonBar className="h-5 w-48" />
              <SkeletonBar className={`h-4 ${w}`} />
              <SkeletonBar className="h-24 w-full" />
            </div>
          ))}
        </div>
      );
    default:
      return (
        <div className="space-y-3 rounded-lg border border-gray-200 bg-white p-4">
          <SkeletonBar className="h-4 w-1/4" />
          {lines.map((w, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: placeholders have no identity
            <SkeletonBar key={i} className={`h-4 ${w}`} />
          ))}
        </div>
      );
  }
}

type Props = {
  /** The page's heading when it is known before its data (not for a variable's own page). */
  title?: string;
  shape?: Shape;
  rows?: number;
};

/**
 * What a route shows while its server component reads (its `loading.tsx`): the page's heading (drawn only), a quiet
 * outline of what is coming (hidden from screen readers), and a polite status saying it is loading.
 */
export function PageSkeleton({ title, shape = "table", rows = 6 }: Props) {
  return (
    <div className="space-y-6" aria-busy="true">
      {/* Seen, not announced: the real heading replaces it, and a second "Audit" heading for a moment would
          mislead a screen reader (and any test that finds the page by its heading). */}
      {title ? (
        <div aria-hidden="true">
          <PageHeader title={title} />
        </div>
      ) : null}
      <p role="status" className="sr-only">
        Loading{title ? ` ${title.toLowerCase()}` : ""}…
      </p>
      <div aria-hidden="true">
        <Placeholder shape={shape} rows={rows} />
      </div>
    </div>
  );
}
