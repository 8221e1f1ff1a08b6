import { type EnvironmentType, environmentTier } from "./roles";

/** A session must have proved who it is (password or code) within this many minutes for a step-up action. */
export const STEP_UP_MINUTES = 5;

/**
 * Revealing a value needs a recent re-authentication when it is in a production-tier environment (production,
 * disaster recovery) and its variable is wedding-critical (the flag or the `wedding_day_critical` class).
 */
export function revealNeedsStepUp(
  variable: { isWeddingCritical: boolean; securityClassification: string },
  environmentType: string,
): boolean {
  const production = environmentTier(environmentType as EnvironmentType) === "production";
  const critical = variable.isWeddingCritical || variable.securityClassification === "wedding_day_critical";
  return production && critical;
}

/** Whether a verification at `verifiedAt` is recent enough at `now`. */
export const verifiedWithin = (verifiedAt: Date, now: Date, minutes = STEP_UP_MINUTES): boolean =>
  now.getTime() - verifiedAt.getTime() < minutes * 60_000;
