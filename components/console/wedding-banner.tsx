import { Banner } from "@/components/ui/banner";

/** Shown on every console page while wedding hours hold. */
export function WeddingBanner({
  lockedEnvironments,
  until,
  breakGlassHref,
}: {
  lockedEnvironments: string[];
  until: string;
  /** Shown to those who may open emergency access. */
  breakGlassHref?: string;
}) {
  if (lockedEnvironments.length === 0) return null;
  return (
    <Banner tone="warning">
      <strong>Wedding hours:</strong> {lockedEnvironments.join(", ")}{" "}
      {lockedEnvironments.length === 1 ? "is" : "are"} read-only until {until}. Changes to{" "}
      {lockedEnvironments.length === 1 ? "it" : "them"} are refused; emergencies need break-glass.
      {breakGlassHref ? (
        <>
          {" "}
          <a href={breakGlassHref} className="font-medium underline">
            Break glass…
          </a>
        </>
      ) : null}
    </Banner>
  );
}
