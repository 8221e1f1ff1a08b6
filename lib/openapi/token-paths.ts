import { MAX_TOKEN_DAYS } from "../service-tokens";
import { orgQuery, pick, problem, ref, session, token } from "./shared";

/** The paths of service tokens: who a token is, creating, listing and revoking them, and this document. */
export const TOKEN_PATHS = {
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
                  access: { type: "string", enum: ["client", "read", "read-write"] },
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
    delete: {
      operationId: "revokeSelf",
      summary: "The presented token revokes itself (`ringbearer logout`)",
      security: token,
      responses: { "204": { description: "Revoked" }, ...pick("401", "403", "429", "503") },
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
  "/api/v1/cli/login": {
    post: {
      operationId: "startCliLogin",
      summary: "Begin a CLI login (RFC 8628 device authorization)",
      description:
        "Anyone may begin one (10 per address in 15 minutes). The person opens `verificationUriComplete`, checks `userCode` and approves it in the console; the CLI polls `/api/v1/cli/login/token` every `interval` seconds.",
      security: [],
      requestBody: { required: false, content: { "application/json": { schema: ref("CliLoginStart") } } },
      responses: {
        "200": { description: "Begun", content: { "application/json": { schema: ref("CliLogin") } } },
        "413": problem("A body over 64 KB"),
        ...pick("422", "429", "503"),
      },
    },
  },
  "/api/v1/cli/login/token": {
    post: {
      operationId: "pollCliLogin",
      summary: "Poll a CLI login: pending, denied, expired, or approved with its token (once)",
      security: [],
      requestBody: { required: true, content: { "application/json": { schema: ref("CliLoginPoll") } } },
      responses: {
        "200": {
          description: "Where it stands",
          content: { "application/json": { schema: ref("CliLoginState") } },
        },
        "404": problem("No login has that device code"),
        "409": problem("Another poll received the token at the same moment"),
        "413": problem("A body over 64 KB"),
        ...pick("422", "429", "503"),
      },
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
} as const;
