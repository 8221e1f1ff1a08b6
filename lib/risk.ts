import { type EnvironmentType, environmentTier, type Role } from "./roles";

/**
 * Risk scoring (seed 002): every change gets LOW / MEDIUM / HIGH / CRITICAL from what it touches
 * (classification, wedding-critical), where (environment tier) and what it does. HIGH and CRITICAL changes
 * need a second person's approval. The rules are this one pure function; docs/security.md has the table.
 */
export const RISK_LEVELS = ["LOW", "MEDIUM", "HIGH", "CRITICAL"] as const;
export type RiskLevel = (typeof RISK_LEVELS)[number];
export type Classification = "public" | "internal" | "confidential" | "wedding_day_critical";

export type RiskInput =
  | {
      action: "value:set" | "value:delete";
      classification: Classification;
      weddingCritical: boolean;
      environmentType: EnvironmentType;
    }
  | {
      action: "value:reveal" | "value:export";
      classification: Classification;
      environmentType: EnvironmentType;
    }
  | { action: "variable:create"; classification: Classification; weddingCritical: boolean }
  | {
      action: "variable:delete";
      classification: Classification;
      weddingCritical: boolean;
      /** Deleting a variable takes its values out of every deployment: the risk of deleting them, if any. */
      values?: Risk | null;
    }
  | {
      /** Restoring a deleted variable brings its values back: the risk of setting them, if any. */
      action: "variable:restore";
      values: Risk | null;
    }
  | {
      action: "variable:update";
      from: Classification;
      to: Classification;
      weddingCriticalRemoved: boolean;
      /** New tags that bring tag-scoped grants into reach: authorized like those grants (their risk). */
      widens?: Risk | null;
    }
  | {
      action: "environment:update";
      from: { environmentType: EnvironmentType; weddingDayProtection: boolean };
      to: { environmentType: EnvironmentType; weddingDayProtection: boolean };
    }
  | { action: "protection:change"; loosens: boolean }
  | { action: "settings:time_zone"; from: string; to: string }
  | { action: "policy:grant"; permission: "read" | "write" | "admin" | "emergency"; production: boolean }
  | { action: "policy:revoke" }
  | { action: "member:role"; to: Role }
  | { action: "member:remove" }
  | { action: "member:invite"; role: Role }
  | { action: "invitation:revoke" }
  | { action: "target:create"; environmentType: EnvironmentType }
  | {
      action: "target:update";
      environmentType: EnvironmentType;
      locationChanged: boolean;
      deleteUnmanagedEnabled: boolean;
    };

export type Risk = { level: RiskLevel; reasons: string[] };

const CLASS_RANK: Record<Classification, number> = {
  public: 0,
  internal: 1,
  confidential: 2,
  wedding_day_critical: 3,
};

const level = (rank: number): RiskLevel => RISK_LEVELS[Math.max(0, Math.min(3, rank))];

export const atLeastRisk = (have: RiskLevel, need: RiskLevel) =>
  RISK_LEVELS.indexOf(have) >= RISK_LEVELS.indexOf(need);

/** The higher of two risks, with the reasons of both (the first when neither adds anything). */
export function combineRisks(a: Risk, b: Risk | null | undefined): Risk {
  if (!b) return a;
  const level = atLeastRisk(a.level, b.level) ? a.level : b.level;
  return { level, reasons: [...a.reasons, ...b.reasons.filter((r) => !a.reasons.includes(r))] };
}

/** HIGH and CRITICAL changes wait for an approver who is not the requester. */
export const needsApproval = (risk: RiskLevel) => atLeastRisk(risk, "HIGH");

/** The risk of one change, with the reasons a reviewer reads. */
export function riskOf(input: RiskInput): Risk {
  switch (input.action) {
    case "value:set":
    case "value:delete": {
      const tier = environmentTier(input.environmentType);
      const reasons = [`${input.classification.replaceAll("_", " ")} value`, `${tier} environment`];
      // Production: public LOW … wedding-day critical CRITICAL; staging two levels lower, the rest three.
      let rank = CLASS_RANK[input.classification] - (tier === "production" ? 0 : tier === "staging" ? 2 : 3);
      if (input.action === "value:delete") {
        rank += 1;
        reasons.push("deletion");
      }
      if (input.weddingCritical && tier === "production") {
        rank = Math.max(rank + 1, 2);
        reasons.push("wedding-critical in production");
      }
      if (
        input.action === "value:set" &&
        input.classification !== "wedding_day_critical" &&
        !input.weddingCritical
      )
        rank = Math.min(rank, 2);
      return { level: level(rank), reasons };
    }
    case "value:reveal":
    case "value:export": {
      const production = environmentTier(input.environmentType) === "production";
      const sensitive = CLASS_RANK[input.classification] >= 2;
      const rank = (production ? 1 : 0) + (sensitive ? 1 : 0) + (input.action === "value:export" ? 1 : 0);
      return {
        // Reads never wait for approval: a reveal is at most MEDIUM, a bulk export at most HIGH (for the audit).
        level: level(Math.min(rank, input.action === "value:export" ? 2 : 1)),
        reasons: [
          input.action === "value:export" ? "bulk read" : "read",
          production ? "production" : "non-production",
        ],
      };
    }
    case "variable:create":
      return { level: "LOW", reasons: ["new variable, no values yet"] };
    case "variable:delete": {
      const rank =
        input.weddingCritical || input.classification === "wedding_day_critical"
          ? 2
          : CLASS_RANK[input.classification] >= 2
            ? 1
            : 0;
      return combineRisks(
        {
          level: level(rank),
          reasons: ["soft delete (restorable for 90 days)", `${input.classification.replaceAll("_", " ")}`],
        },
        input.values,
      );
    }
    case "variable:restore":
      return combineRisks({ level: "LOW", reasons: ["restores a deleted variable"] }, input.values);
    case "variable:update": {
      const downgrade = CLASS_RANK[input.to] < CLASS_RANK[input.from];
      const base: Risk =
        downgrade || input.weddingCriticalRemoved
          ? {
              level: "HIGH",
              reasons: [
                downgrade
                  ? `classification lowered from ${input.from} to ${input.to}`
                  : "wedding-critical flag removed",
              ],
            }
          : { level: "LOW", reasons: ["metadata change"] };
      return combineRisks(base, input.widens);
    }
    case "environment:update": {
      // The type and the protection decide the risk of every value there: changing either is four-eyes,
      // tightening included (values set while it was lower would become production values unreviewed).
      const reasons = [
        ...(input.from.environmentType !== input.to.environmentType
          ? [`type changed from ${input.from.environmentType} to ${input.to.environmentType}`]
          : []),
        ...(input.from.weddingDayProtection && !input.to.weddingDayProtection
          ? ["wedding-day protection removed"]
          : !input.from.weddingDayProtection && input.to.weddingDayProtection
            ? ["wedding-day protection added"]
            : []),
      ];
      if (reasons.length > 0) return { level: "HIGH", reasons };
      return environmentTier(input.to.environmentType) === "production"
        ? { level: "MEDIUM", reasons: ["production environment settings"] }
        : { level: "LOW", reasons: ["environment settings"] };
    }
    case "settings:time_zone":
      // The zone places every weekly window: moving it moves when production is locked.
      return {
        level: "HIGH",
        reasons: [`time zone changed from ${input.from} to ${input.to}: every weekly window moves`],
      };
    case "protection:change":
      return input.loosens
        ? { level: "HIGH", reasons: ["wedding hours shortened or removed"] }
        : { level: "LOW", reasons: ["wedding hours extended"] };
    case "policy:grant":
      if (input.permission === "admin" || input.permission === "emergency")
        return { level: "HIGH", reasons: [`grants ${input.permission}`] };
      if (input.permission === "write" && input.production)
        return { level: "HIGH", reasons: ["grants write on production"] };
      return { level: "MEDIUM", reasons: [`grants ${input.permission}`] };
    case "policy:revoke":
      return { level: "LOW", reasons: ["removes access"] };
    case "member:role":
      return input.to === "owner" || input.to === "admin"
        ? { level: "HIGH", reasons: [`makes someone ${input.to}`] }
        : { level: "MEDIUM", reasons: [`changes a role to ${input.to}`] };
    case "member:remove":
      return { level: "MEDIUM", reasons: ["removes a member"] };
    case "member:invite":
      // Accepting adds a member with this role: scored like making someone that role.
      return input.role === "owner" || input.role === "admin"
        ? { level: "HIGH", reasons: [`invites someone as ${input.role}`] }
        : { level: "MEDIUM", reasons: [`invites someone as ${input.role.replace("_", " ")}`] };
    case "invitation:revoke":
      return { level: "LOW", reasons: ["withdraws an invitation"] };
    case "target:create":
      return environmentTier(input.environmentType) === "production"
        ? { level: "HIGH", reasons: ["production values will be sent to a new target"] }
        : { level: "LOW", reasons: ["new sync target"] };
    case "target:update": {
      if (environmentTier(input.environmentType) !== "production")
        return { level: "LOW", reasons: ["sync target settings"] };
      // Production values would go somewhere new, or keys nobody pushed would be deleted: four eyes.
      const reasons = [
        ...(input.locationChanged ? ["production values pushed to a new location"] : []),
        ...(input.deleteUnmanagedEnabled ? ["deletes production keys the console did not push"] : []),
      ];
      return reasons.length > 0
        ? { level: "HIGH", reasons }
        : { level: "MEDIUM", reasons: ["production sync target settings"] };
    }
  }
}
