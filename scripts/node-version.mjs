/**
 * Which Node.js Ringbearer needs: package.json's `engines.node` (">=22.12"), read here so it is written once.
 * Plain JavaScript without dependencies: it runs on the old Node it refuses, before tsx or anything else loads.
 */
import { readFileSync } from "node:fs";

/** "v20.20.2", "22.12" or "22" as [major, minor, patch]; null when it is not a version. */
export function parseVersion(text) {
  const match = /^v?(\d+)(?:\.(\d+))?(?:\.(\d+))?$/.exec(String(text).trim());
  return match ? [Number(match[1]), Number(match[2] ?? 0), Number(match[3] ?? 0)] : null;
}

/** Whether `version` is `required` or newer (both as parseVersion reads them). */
export function atLeast(version, required) {
  const have = parseVersion(version);
  const need = parseVersion(required);
  if (!have || !need) throw new Error(`not a Node.js version: ${have ? required : version}`);
  for (let i = 0; i < 3; i++) if (have[i] !== need[i]) return have[i] > need[i];
  return true;
}

/** The lowest Node.js version package.json allows: `engines.node` must be of the form ">=X.Y[.Z]". */
export function requiredFromEngines(range) {
  const match = /^>=\s*(\d+(?:\.\d+){0,2})$/.exec(String(range).trim());
  if (!match) throw new Error(`package.json engines.node must be ">=X.Y", not ${JSON.stringify(range)}`);
  return match[1];
}

/**
 * The required version: package.json's, or RINGBEARER_TEST_REQUIRED_NODE — set only by the tests, to check the
 * refusal on a machine that has no older Node to run it with.
 */
export function requiredNode(env = process.env) {
  if (env.RINGBEARER_TEST_REQUIRED_NODE) return env.RINGBEARER_TEST_REQUIRED_NODE;
  const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8"));
  return requiredFromEngines(pkg.engines?.node);
}

/** The one-line refusal for this Node.js, or null when it is new enough. */
export function nodeVersionProblem(version = process.versions.node, required = requiredNode()) {
  return atLeast(version, required)
    ? null
    : `Ringbearer needs Node.js ${required} or newer (this is ${String(version).replace(/^v/, "")})`;
}
