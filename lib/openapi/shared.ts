/** What the OpenAPI document's paths share: problems, parameters, security requirements. */

export const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
export const problem = (description: string) => ({
  description,
  content: { "application/problem+json": { schema: ref("Problem") } },
});
export const PROBLEMS = {
  "401": problem(
    "No credentials, a token that is invalid, expired or revoked, or a person who must re-authenticate (see `code`)",
  ),
  "403": problem("Outside the caller's scope or role"),
  "404": problem("No such environment, variable or token"),
  "422": problem("A field that does not pass: `errors` by field"),
  "429": {
    ...problem("The token's requests for this minute are used up"),
    headers: { "Retry-After": { description: "Seconds to wait", schema: { type: "integer" } } },
  },
  "503": problem("The database is not answering; nothing was changed"),
};
export const pick = (...statuses: (keyof typeof PROBLEMS)[]) =>
  Object.fromEntries(statuses.map((s) => [s, PROBLEMS[s]]));

export const envName = {
  name: "name",
  in: "path",
  required: true,
  description: "The environment's name as the console shows it, e.g. `production`",
  schema: { type: "string", maxLength: 64 },
};
export const valueKey = {
  name: "key",
  in: "path",
  required: true,
  description: "The variable's name, e.g. `STRIPE_SECRET_KEY`",
  schema: { type: "string", maxLength: 255 },
};
export const orgQuery = {
  name: "org",
  in: "query",
  required: false,
  description:
    "With a person's session: the organization's slug, by default the only one they belong to (a token knows its own)",
  schema: { type: "string" },
};
export const versionTag = {
  description: 'The value\'s version as an entity tag: `"3"`',
  schema: { type: "string" },
};
export const token = [{ serviceToken: [] }];
export const session = [{ session: [] }];

/** Either a service token or a person's session (the same checks behind both). */
export const either = [{ serviceToken: [] }, { session: [] }];
