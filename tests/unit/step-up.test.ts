import { describe, expect, it } from "vitest";
import { revealNeedsStepUp, STEP_UP_MINUTES, verifiedWithin } from "@/lib/step-up";

const plain = { isWeddingCritical: false, securityClassification: "confidential" };
const flagged = { isWeddingCritical: true, securityClassification: "confidential" };
const critical = { isWeddingCritical: false, securityClassification: "wedding_day_critical" };

describe("step-up for reveals", () => {
  it("is needed for wedding-critical values in production-tier environments only", () => {
    for (const env of ["production", "disaster_recovery"]) {
      expect(revealNeedsStepUp(flagged, env)).toBe(true);
      expect(revealNeedsStepUp(critical, env)).toBe(true);
      expect(revealNeedsStepUp(plain, env)).toBe(false);
    }
    for (const env of ["development", "testing", "staging"]) {
      expect(revealNeedsStepUp(flagged, env)).toBe(false);
      expect(revealNeedsStepUp(critical, env)).toBe(false);
    }
  });

  it("counts a verification as recent for five minutes", () => {
    const now = new Date("2026-06-06T20:00:00Z");
    const ago = (ms: number) => new Date(now.getTime() - ms);
    expect(STEP_UP_MINUTES).toBe(5);
    expect(verifiedWithin(ago(0), now)).toBe(true);
    expect(verifiedWithin(ago(4 * 60_000 + 59_000), now)).toBe(true);
    expect(verifiedWithin(ago(5 * 60_000), now)).toBe(false);
    expect(verifiedWithin(ago(60 * 60_000), now)).toBe(false);
  });
});
