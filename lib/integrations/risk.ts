import type { Risk } from "../risk";
import type { Tier } from "../roles";

/**
 * The risk of a change to an integration config or a destination (seed 002's table): a sync interval, features or
 * rules LOW; an endpoint, host or direction MEDIUM; a key or secret (a vault field's value or binding) HIGH; a
 * deletion CRITICAL. The highest of what changed counts; nothing changed is LOW.
 */
export type ConfigChange =
  | { kind: "delete" }
  | {
      kind: "update";
      before: Record<string, unknown>;
      after: Record<string, unknown>;
      secretsChanged: string[];
    };

const MEDIUM_FIELDS = new Set([
  "host",
  "apiHost",
  "endpointUrl",
  "syncDirection",
  "serverZone",
  "apiVersion",
  "enabled",
  "isActive",
  "isPrimary",
]);

export function configChangeRisk(change: ConfigChange): Risk {
  if (change.kind === "delete") return { level: "CRITICAL", reasons: ["deletes the configuration"] };
  if (change.secretsChanged.length > 0)
    return { level: "HIGH", reasons: change.secretsChanged.map((f) => `changes ${f}`) };
  const changed = [...new Set([...Object.keys(change.before), ...Object.keys(change.after)])].filter(
    (k) => JSON.stringify(change.before[k]) !== JSON.stringify(change.after[k]),
  );
  const medium = changed.filter((k) => MEDIUM_FIELDS.has(k));
  if (medium.length > 0) return { level: "MEDIUM", reasons: medium.map((f) => `changes ${f}`) };
  return { level: "LOW", reasons: changed.map((f) => `changes ${f}`) };
}

/**
 * The risk of a configuration change in an environment of this tier: as configChangeRisk on production and
 * disaster recovery; elsewhere at most MEDIUM (a development destination is deleted without a second person,
 * and the audit says why its risk is lower).
 */
export function configRiskIn(tier: Tier, change: ConfigChange): Risk {
  const risk = configChangeRisk(change);
  if (tier === "production" || risk.level === "LOW" || risk.level === "MEDIUM") return risk;
  return { level: "MEDIUM", reasons: [...risk.reasons, `not production (${risk.level} there)`] };
}
