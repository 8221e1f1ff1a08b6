import type { Classification } from "./risk";
import type { Tier } from "./roles";

/**
 * Drift (seed 000 `configuration_drift`): what is deployed on a target compared with what the console holds,
 * by hash, never by value. Pure rules; the scan in server/drift/drift.ts feeds them and stores the findings.
 */
export const DRIFT_TYPES = [
  "missing_variable",
  "unexpected_variable",
  "value_mismatch",
  "security_violation",
] as const;
export type DriftType = (typeof DRIFT_TYPES)[number];
export const DRIFT_SEVERITIES = ["low", "medium", "high", "critical"] as const;
export type DriftSeverity = (typeof DRIFT_SEVERITIES)[number];
/** The same, worst first (the order lists and summaries show them in). */
export const SEVERITIES = ["critical", "high", "medium", "low"] as const satisfies readonly DriftSeverity[];
export type Severity = DriftSeverity;

/** One key the console expects on a target, with its deployed hash under the target's secret. */
export type ExpectedKey = {
  variableId: string;
  name: string;
  /** HMAC of the console's value under the target's secret (lib/sync-protocol deployedHash). */
  deployedHash: string;
  /** The console's own value hash (HMAC under the organization's key), stored with the finding. */
  valueHash: string;
  classification: Classification;
  weddingCritical: boolean;
  required: boolean;
  /** The value's expiry has passed: it should not be deployed anywhere. */
  expired: boolean;
};

export type DriftFinding = {
  type: DriftType;
  name: string;
  variableId: string | null;
  severity: DriftSeverity;
  expectedHash: string | null;
  actualHash: string | null;
  details: Record<string, unknown>;
};

type Subject = { classification: Classification; weddingCritical: boolean; required: boolean };

const sensitive = (s: Subject) => s.classification === "confidential" || critical(s);
const critical = (s: Subject) => s.weddingCritical || s.classification === "wedding_day_critical";

/** How bad a drift is, from what it touches (classification, wedding-critical, required) and where (tier). */
export function driftSeverity(type: DriftType, subject: Subject | null, tier: Tier): DriftSeverity {
  // An expired value still deployed: critical in production, high elsewhere (a leak is always critical).
  if (type === "security_violation") return tier === "production" ? "critical" : "high";
  if (type === "unexpected_variable" || !subject) return tier === "production" ? "medium" : "low";
  if (tier === "production") {
    if (critical(subject) || (type === "missing_variable" && subject.required)) return "critical";
    return sensitive(subject) ? "high" : "medium";
  }
  if (tier === "staging") return critical(subject) || subject.required ? "high" : "medium";
  return subject.required || critical(subject) ? "medium" : "low";
}

/**
 * The drift on one target: keys missing there, keys there that the console does not know, values that differ,
 * and security violations — a sensitive production value deployed on a lower-tier target (`leaked`), or a
 * value past its expiry still deployed.
 */
export function detectDrift(input: {
  expected: ExpectedKey[];
  deployed: Map<string, string>;
  tier: Tier;
  /** Names of sensitive variables whose deployed hash equals their production value's hash (lower tiers). */
  leaked?: Set<string>;
}): DriftFinding[] {
  const findings: DriftFinding[] = [];
  const known = new Set(input.expected.map((e) => e.name));
  for (const e of input.expected) {
    const actual = input.deployed.get(e.name);
    const base = { name: e.name, variableId: e.variableId, expectedHash: e.valueHash };
    if (actual === undefined) {
      findings.push({
        ...base,
        type: "missing_variable",
        severity: driftSeverity("missing_variable", e, input.tier),
        actualHash: null,
        details: { required: e.required },
      });
      continue;
    }
    if (input.leaked?.has(e.name)) {
      findings.push({
        ...base,
        type: "security_violation",
        severity: "critical",
        actualHash: actual,
        details: { violation: "production_value_on_lower_tier", classification: e.classification },
      });
      continue;
    }
    if (actual !== e.deployedHash) {
      findings.push({
        ...base,
        type: "value_mismatch",
        severity: driftSeverity("value_mismatch", e, input.tier),
        actualHash: actual,
        details: {},
      });
      continue;
    }
    if (e.expired)
      findings.push({
        ...base,
        type: "security_violation",
        severity: driftSeverity("security_violation", e, input.tier),
        actualHash: actual,
        details: { violation: "expired_value_deployed" },
      });
  }
  for (const [name, actual] of input.deployed) {
    if (known.has(name)) continue;
    findings.push({
      type: "unexpected_variable",
      name,
      variableId: null,
      severity: driftSeverity("unexpected_variable", null, input.tier),
      expectedHash: null,
      actualHash: actual,
      details: {},
    });
  }
  return findings.sort((a, b) => a.name.localeCompare(b.name) || a.type.localeCompare(b.type));
}

/**
 * Parity drift between tiers (seed 004): a required variable that the environment below has but this one
 * lacks, e.g. set in staging, missing in production.
 */
export function detectParity(input: {
  below: { name: string; variableId: string; subject: Subject }[];
  present: Set<string>;
  belowName: string;
  tier: Tier;
}): DriftFinding[] {
  return input.below
    .filter((v) => v.subject.required && !input.present.has(v.name))
    .map((v) => ({
      type: "missing_variable" as const,
      name: v.name,
      variableId: v.variableId,
      severity: driftSeverity("missing_variable", v.subject, input.tier),
      expectedHash: null,
      actualHash: null,
      details: { parity_with: input.belowName },
    }));
}

/** What makes two findings "the same drift": where (a target, or parity of an environment), kind and key. */
export const driftKey = (scope: string, finding: Pick<DriftFinding, "type" | "name">) =>
  `${scope}:${finding.type}:${finding.name}`;
