import { either, envName, orgQuery, pick, problem, ref, valueKey, versionTag } from "./shared";

const json = (schema: object) => ({ "application/json": { schema } });
const requested = {
  description: "Waits for a reviewer",
  headers: { Location: { description: "The change request in the console", schema: { type: "string" } } },
  content: json(ref("WriteRequested")),
};

/** The paths of variables (metadata, never values) and of an environment's drift and health. */
export const VARIABLE_PATHS = {
  "/api/v1/variables": {
    get: {
      operationId: "listVariables",
      summary: "List variables and their value versions",
      description:
        "By name, a page at a time: pass the answer's `next` as `after` for the following page (`null` at the end). A token sees the variables in its name prefix and tag, and versions in its environments.",
      security: either,
      parameters: [
        orgQuery,
        { name: "after", in: "query", required: false, schema: { type: "string", maxLength: 255 } },
        {
          name: "limit",
          in: "query",
          required: false,
          schema: { type: "integer", minimum: 1, maximum: 1000, default: 500 },
        },
      ],
      responses: {
        "200": {
          description: "One page",
          content: json({
            type: "object",
            properties: {
              variables: { type: "array", items: ref("Variable") },
              next: { type: ["string", "null"] },
            },
          }),
        },
        ...pick("401", "403", "422", "429", "503"),
      },
    },
    post: {
      operationId: "createVariable",
      summary: "Create a variable (no value yet)",
      description: "A token may create one only within its name prefix and tag.",
      security: either,
      parameters: [orgQuery],
      requestBody: { required: true, content: json(ref("VariableInput")) },
      responses: {
        "201": {
          description: "Created",
          headers: { Location: { schema: { type: "string" } } },
          content: json({
            type: "object",
            properties: { name: { type: "string" }, version: { type: "integer" } },
          }),
        },
        "409": problem("A live variable already has that name"),
        "413": problem("A body over 64 KB"),
        ...pick("401", "403", "422", "429", "503"),
      },
    },
  },
  "/api/v1/variables/{key}": {
    get: {
      operationId: "readVariable",
      summary: "Read a variable and its value versions",
      security: either,
      parameters: [orgQuery, valueKey],
      responses: {
        "200": { description: "The variable", headers: { ETag: versionTag }, content: json(ref("Variable")) },
        ...pick("401", "403", "404", "429", "503"),
      },
    },
    put: {
      operationId: "updateVariable",
      summary: "Replace a variable's metadata (a rename too)",
      description:
        "The console's fields, on the version in `If-Match`. Lowering its classification or removing the wedding-critical flag is a change request (`202`). A token keeps it within its name prefix and tag.",
      security: either,
      parameters: [
        orgQuery,
        valueKey,
        { name: "If-Match", in: "header", required: true, ...versionTag },
        { name: "reason", in: "query", required: false, schema: { type: "string", maxLength: 500 } },
      ],
      requestBody: { required: true, content: json(ref("VariableInput")) },
      responses: {
        "200": {
          description: "Applied",
          headers: { ETag: versionTag },
          content: json({
            type: "object",
            properties: {
              status: { const: "applied" },
              name: { type: "string" },
              version: { type: "integer" },
            },
          }),
        },
        "202": requested,
        "409": problem("It changed since the version sent, or the new name is taken"),
        "413": problem("A body over 64 KB"),
        "428": problem("If-Match was not sent"),
        ...pick("401", "403", "404", "422", "429", "503"),
      },
    },
    delete: {
      operationId: "deleteVariable",
      summary: "Delete a variable with its values (restorable for 90 days)",
      description:
        "Deleting a wedding-critical variable, or one with a HIGH value somewhere, is a change request (`202`).",
      security: either,
      parameters: [
        orgQuery,
        valueKey,
        { name: "If-Match", in: "header", required: true, ...versionTag },
        { name: "reason", in: "query", required: false, schema: { type: "string", maxLength: 500 } },
      ],
      responses: {
        "204": { description: "Deleted" },
        "202": requested,
        "409": problem("The variable changed since the version sent"),
        "423": problem("Wedding hours: a protected environment is read-only"),
        "428": problem("If-Match was not sent"),
        ...pick("401", "403", "404", "422", "429", "503"),
      },
    },
  },
  "/api/v1/environments/{name}/drift": {
    get: {
      operationId: "readDrift",
      summary: "An environment's unresolved drift, worst first",
      security: either,
      parameters: [orgQuery, envName],
      responses: {
        "200": {
          description: "Names, kinds and targets; never a value or a hash",
          content: json({
            type: "object",
            properties: {
              environment: { type: "string" },
              drift: {
                type: "array",
                items: {
                  type: "object",
                  properties: {
                    name: { type: "string" },
                    type: { type: "string" },
                    severity: { type: "string", enum: ["critical", "high", "medium", "low"] },
                    target: { type: ["string", "null"] },
                    detectedAt: { type: "string", format: "date-time" },
                    lastSeenAt: { type: "string", format: "date-time" },
                  },
                },
              },
            },
          }),
        },
        ...pick("401", "403", "404", "429", "503"),
      },
    },
  },
  "/api/v1/environments/{name}/health": {
    get: {
      operationId: "readHealth",
      summary: "An environment's health, as the dashboard shows it",
      security: either,
      parameters: [orgQuery, envName],
      responses: {
        "200": { description: "Status, reasons and counts", content: json(ref("Health")) },
        ...pick("401", "403", "404", "429", "503"),
      },
    },
  },
} as const;
