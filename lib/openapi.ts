import { OPENAPI_COMPONENTS } from "./openapi-components";
import { MAX_TOKEN_DAYS } from "./service-tokens";
import { CONTENT_TYPES, VALUE_FORMATS } from "./value-formats";

/**
 * The machine API's OpenAPI 3.1 document (served at /api/v1/openapi.json, shown on the console's API page).
 * Request bodies are the zod schemas the routes validate with, turned into JSON Schema by zod itself, so the
 * document cannot drift from what the server accepts.
 */

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const problem = (description: string) => ({
  description,
  content: { "application/problem+json": { schema: ref("Problem") } },
});
const PROBLEMS = {
  "401": problem("No credentials, or a token that is invalid, expired or revoked (see `code`)"),
  "403": problem("Outside the caller's scope or role"),
  "404": problem("No such environment, variable or token"),
  "422": problem("A field that does not pass: `errors` by field"),
  "429": {
    ...problem("The token's requests for this minute are used up"),
    headers: { "Retry-After": { description: "Seconds to wait", schema: { type: "integer" } } },
  },
  "503": problem("The database is not answering; nothing was changed"),
};
const pick = (...statuses: (keyof typeof PROBLEMS)[]) =>
  Object.fromEntries(statuses.map((s) => [s, PROBLEMS[s]]));

const envName = {
  name: "name",
  in: "path",
  required: true,
  description: "The environment's name as the console shows it, e.g. `production`",
  schema: { type: "string", maxLength: 64 },
};
const valueKey = {
  name: "key",
  in: "path",
  required: true,
  description: "The variable's name, e.g. `STRIPE_SECRET_KEY`",
  schema: { type: "string", maxLength: 255 },
};
const orgQuery = {
  name: "org",
  in: "query",
  required: false,
  description: "The organization's slug; by default the only one the person belongs to",
  schema: { type: "string" },
};
const versionTag = {
  description: 'The value\'s version as an entity tag: `"3"`',
  schema: { type: "string" },
};
const token = [{ serviceToken: [] }];
const session = [{ session: [] }];

export function openApiDocument(serverUrl = "/") {
  return {
    openapi: "3.1.0",
    info: {
      title: "Ringbearer machine API",
      version: "1.0.0",
      description:
        "Read and write an environment's configuration with a service token; create and revoke tokens with a person's session. Errors are RFC 9457 problem details with a stable `code`.",
    },
    servers: [{ url: serverUrl }],
    paths: {
      "/api/v1/whoami": {
        get: {
          operationId: "whoami",
          summary: "The presented token: its organization, scope and expiry",
          security: token,
          responses: {
            "200": {
              description: "Never the token itself",
              content: {
                "application/json": {
                  schema: {
                    type: "object",
                    properties: {
                      tokenId: { type: "string", format: "uuid" },
                      organization: { type: "string" },
                      environments: { type: "array", items: { type: "string" } },
                      access: { type: "string", enum: ["read", "read-write"] },
                      namePrefix: { type: ["string", "null"] },
                      tag: { type: ["string", "null"] },
                      expiresAt: { type: "string", format: "date-time" },
                    },
                  },
                },
              },
            },
            ...pick("401", "403", "429", "503"),
          },
        },
      },
      "/api/v1/environments": {
        get: {
          operationId: "listEnvironments",
          summary: "List the environments the token may read",
          security: token,
          responses: {
            "200": {
              description: "In the console's order",
              content: {
                "application/json": {
                  schema: {
                    type: "object",
                    properties: {
                      environments: {
                        type: "array",
                        items: {
                          type: "object",
                          properties: { name: { type: "string" }, type: { type: "string" } },
                        },
                      },
                    },
                  },
                },
              },
            },
            ...pick("401", "403", "429", "503"),
          },
        },
      },
      "/api/v1/environments/{name}/values": {
        get: {
          operationId: "readValues",
          summary: "Read an environment's values",
          description:
            "The values the token may read, resolved: a JSON object of `KEY: value`, or another format. Answers an `ETag`; `If-None-Match` with it is `304` while nothing it covers changed. Every read is counted and audited.",
          security: token,
          parameters: [
            envName,
            {
              name: "format",
              in: "query",
              required: false,
              schema: { type: "string", enum: [...VALUE_FORMATS], default: "json" },
            },
            { name: "If-None-Match", in: "header", required: false, schema: { type: "string" } },
          ],
          responses: {
            "200": {
              description: "The values",
              headers: { ETag: { schema: { type: "string" } } },
              content: Object.fromEntries(
                VALUE_FORMATS.map((f) => [
                  CONTENT_TYPES[f].split(";")[0],
                  {
                    schema:
                      f === "json"
                        ? { type: "object", additionalProperties: { type: "string" } }
                        : { type: "string" },
                  },
                ]),
              ),
            },
            "304": { description: "Unchanged since the ETag sent in If-None-Match" },
            ...pick("401", "403", "404", "422", "429", "503"),
          },
        },
      },
      "/api/v1/environments/{name}/values/{key}": {
        put: {
          operationId: "writeValue",
          summary: "Set a value (read-write token)",
          description:
            "Through the console's one write path: `423` during wedding hours, `202` with a change request for a HIGH or CRITICAL change, `409` when the value moved since the version in `If-Match`.",
          security: token,
          parameters: [
            envName,
            valueKey,
            { name: "If-Match", in: "header", required: false, ...versionTag },
            {
              name: "If-None-Match",
              in: "header",
              required: false,
              description: "`*`: set a value that does not exist yet",
              schema: { type: "string", enum: ["*"] },
            },
          ],
          requestBody: { required: true, content: { "application/json": { schema: ref("ValueInput") } } },
          responses: {
            "200": {
              description: "Applied",
              headers: { ETag: versionTag },
              content: { "application/json": { schema: ref("WriteApplied") } },
            },
            "202": {
              description: "Waits for a reviewer",
              headers: {
                Location: { description: "The change request in the console", schema: { type: "string" } },
              },
              content: { "application/json": { schema: ref("WriteRequested") } },
            },
            "409": problem("The value moved since the version sent: nothing was overwritten"),
            "423": problem("Wedding hours: the environment is read-only"),
            "428": problem("Neither If-Match nor If-None-Match: * was sent"),
            ...pick("401", "403", "404", "422", "429", "503"),
          },
        },
        delete: {
          operationId: "deleteValue",
          summary: "Delete a value (read-write token)",
          security: token,
          parameters: [
            envName,
            valueKey,
            { name: "If-Match", in: "header", required: true, ...versionTag },
            { name: "note", in: "query", required: false, schema: { type: "string", maxLength: 500 } },
          ],
          responses: {
            "204": { description: "Deleted" },
            "202": {
              description: "Waits for a reviewer",
              content: { "application/json": { schema: ref("WriteRequested") } },
            },
            "409": problem("The value moved since the version sent"),
            "423": problem("Wedding hours: the environment is read-only"),
            "428": problem("If-Match was not sent"),
            ...pick("401", "403", "404", "422", "429", "503"),
          },
        },
      },
      "/api/v1/tokens": {
        post: {
          operationId: "createToken",
          summary: "Create a service token (owners and admins)",
          description: `Shown once, in this answer. Lives 1 day up to the organization's longest lifetime (at most ${MAX_TOKEN_DAYS}).`,
          security: session,
          parameters: [orgQuery],
          requestBody: {
            required: true,
            content: { "application/json": { schema: ref("ServiceTokenInput") } },
          },
          responses: {
            "201": {
              description: "Created",
              content: { "application/json": { schema: ref("CreatedToken") } },
            },
            "413": problem("A body over 64 KB"),
            ...pick("401", "403", "422", "503"),
          },
        },
        get: {
          operationId: "listTokens",
          summary: "List the organization's service tokens (never the tokens)",
          security: session,
          parameters: [orgQuery],
          responses: {
            "200": {
              description: "Newest first",
              content: {
                "application/json": {
                  schema: {
                    type: "object",
                    properties: { tokens: { type: "array", items: ref("TokenSummary") } },
                  },
                },
              },
            },
            ...pick("401", "403", "503"),
          },
        },
      },
      "/api/v1/tokens/{id}": {
        delete: {
          operationId: "revokeToken",
          summary: "Revoke a service token at once",
          security: session,
          parameters: [
            { name: "id", in: "path", required: true, schema: { type: "string", format: "uuid" } },
            orgQuery,
          ],
          responses: { "204": { description: "Revoked" }, ...pick("401", "403", "404", "503") },
        },
      },
      "/api/v1/openapi.json": {
        get: {
          operationId: "openApi",
          summary: "This document",
          security: [],
          responses: { "200": { description: "OpenAPI 3.1", content: { "application/json": {} } } },
        },
      },
    },
    components: OPENAPI_COMPONENTS,
  } as const;
}

export type OpenApiDocument = ReturnType<typeof openApiDocument>;
