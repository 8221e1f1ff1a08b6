/** `ringbearer set` and `ringbearer diff`: one value written through the console's gate, two environments compared. */
import { CliError, call, readValues, segment } from "./console.mjs";

/**
 * Sets KEY in an environment with a read-write token. The version it is based on comes from the variable's metadata
 * (nothing is decrypted for it): `If-Match` with that version, or `If-None-Match: *` when it has no value there
 * yet, so a change made meanwhile is a conflict, never overwritten. Answers the console's outcome: applied with
 * the new version, or a change request a reviewer decides.
 */
export async function setValue(config, { environment, key, value, note }) {
  const variable = await call(config, `/api/v1/variables/${segment(key)}`).catch((error) => {
    if (error.status === 404)
      throw new CliError(
        `${key} is not a variable this token may reach: create it in the console (or POST /api/v1/variables) first`,
      );
    throw error;
  });
  const version = JSON.parse(variable.body).values?.[environment];
  const precondition = version === undefined ? { "if-none-match": "*" } : { "if-match": `"${version}"` };
  const path = `/api/v1/environments/${segment(environment)}/values/${segment(key)}`;
  const answer = await call(config, path, {
    method: "PUT",
    headers: precondition,
    body: { value, ...(note ? { note } : {}) },
  }).catch((error) => {
    if (error.status === 409)
      throw new CliError(
        `${key} changed in ${environment} while this ran; nothing was overwritten. Run it again.`,
      );
    throw error;
  });
  return JSON.parse(answer.body);
}

/**
 * Compares two environments' values the token may read: which keys only one has and which differ. Names only; the
 * values themselves only when asked (`showValues`).
 */
export async function diffEnvironments(config, [a, b], { showValues = false } = {}) {
  const [left, right] = (
    await Promise.all([readValues(config, a, "json"), readValues(config, b, "json")])
  ).map((body) => JSON.parse(body));
  const keys = [...new Set([...Object.keys(left), ...Object.keys(right)])].sort();
  const lines = [];
  let differences = 0;
  for (const key of keys) {
    const inLeft = Object.hasOwn(left, key);
    const inRight = Object.hasOwn(right, key);
    if (inLeft && inRight && left[key] === right[key]) continue;
    differences += 1;
    if (!inRight) lines.push(`- ${key}\tonly in ${a}${showValues ? `\t${JSON.stringify(left[key])}` : ""}`);
    else if (!inLeft)
      lines.push(`+ ${key}\tonly in ${b}${showValues ? `\t${JSON.stringify(right[key])}` : ""}`);
    else
      lines.push(
        `~ ${key}\tdiffers${showValues ? `\t${JSON.stringify(left[key])} → ${JSON.stringify(right[key])}` : ""}`,
      );
  }
  return { lines, differences, compared: keys.length };
}
