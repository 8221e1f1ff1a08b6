export const ROLES = [
  "owner",
  "admin",
  "lead",
  "developer",
  "viewer",
  "security_reviewer",
  "on_call",
] as const;
export type Role = (typeof ROLES)[number];

export const ENVIRONMENT_TYPES = [
  "development",
  "testing",
  "staging",
  "production",
  "disaster_recovery",
] as const;
export type EnvironmentType = (typeof ENVIRONMENT_TYPES)[number];

export type Tier = "lower" | "staging" | "production";

export function environmentTier(type: EnvironmentType): Tier {
  if (type === "staging") return "staging";
  if (type === "production" || type === "disaster_recovery") return "production";
  return "lower";
}
