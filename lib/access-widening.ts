import { highestRisk } from "./approvals";
import { type AccessGrant, grantIsLive } from "./policy";
import { type Risk, riskOf } from "./risk";
import { type EnvironmentType, environmentTier } from "./roles";

/**
 * Tag-scoped grants that a variable's new tags bring into reach: changing the tags gives those grants' subjects
 * access they did not have, so the change is authorized like granting it (owners and admins only, and HIGH
 * grants wait for a reviewer). The risk is the highest of those grants' risks; null when nothing widens.
 */
export function tagWidening(input: {
  grants: AccessGrant[];
  variableId: string;
  from: string[];
  to: string[];
  environments: { name: string; environmentType: string }[];
  now: Date;
}): Risk | null {
  const added = input.to.filter((t) => !input.from.includes(t));
  const reached = input.grants.filter(
    (g) =>
      grantIsLive(g, input.now) &&
      g.tag !== null &&
      added.includes(g.tag) &&
      (g.variableId === null || g.variableId === input.variableId),
  );
  if (reached.length === 0) return null;
  const risks = reached.map((g) => {
    const envs = input.environments.filter((e) => !g.environmentNames || g.environmentNames.includes(e.name));
    const production = envs.some(
      (e) => environmentTier(e.environmentType as EnvironmentType) === "production",
    );
    const where = g.environmentNames ? g.environmentNames.join(", ") : "every environment";
    const who = g.userId ? "a user" : `role ${g.role}`;
    const risk = riskOf({ action: "policy:grant", permission: g.permission, production });
    return { ...risk, reasons: [`#${g.tag} gives ${who} ${g.permission} in ${where}`] };
  });
  return {
    level: highestRisk(risks.map((r) => r.level)),
    reasons: risks.flatMap((r) => r.reasons),
  };
}
