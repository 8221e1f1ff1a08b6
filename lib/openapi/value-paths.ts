import { CONTENT_TYPES, VALUE_FORMATS } from "../value-formats";
import { either, envName, orgQuery, pick, problem, ref, valueKey, versionTag } from "./shared";

/** The paths of environments and their values. */
export const VALUE_PATHS = {
  "/api/v1/environments": {
    get: {
      operationId: "listEnvironments",
      summary: "List the environments the caller may read",
      security: either,
      parameters: [orgQuery],
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
        "The values the caller may read, resolved: a JSON object of `KEY: value`, or another format. Answers an `ETag`; `If-None-Match` with it is `304` while nothing it covers changed. Every read is audited: one row naming a token and the count; a person's read is their export (each value audited as revealed, and `401 reauth_required` unless they re-authenticated within 5 minutes when a value is wedding-critical in production).",
      security: either,
      parameters: [
        orgQuery,
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
    get: {
      operationId: "readValue",
      summary: "Read one value and its version",
      description:
        "Resolved (`written` holds it as written when it has references); its version is the ETag a write sends as If-Match. Audited like a values read.",
      security: either,
      parameters: [orgQuery, envName, valueKey],
      responses: {
        "200": {
          description: "The value",
          headers: { ETag: versionTag },
          content: { "application/json": { schema: ref("Value") } },
        },
        ...pick("401", "403", "404", "429", "503"),
      },
    },
    put: {
      operationId: "writeValue",
      summary: "Set a value (read-write token, or a person who may write it)",
      description:
        "Through the console's one write path: `423` during wedding hours, `202` with a change request for a HIGH or CRITICAL change, `409` when the value moved since the version in `If-Match`.",
      security: either,
      parameters: [
        orgQuery,
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
      summary: "Delete a value (read-write token, or a person who may write it)",
      security: either,
      parameters: [
        orgQuery,
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
} as const;
