import { z } from "zod";
import { PROBLEM_CODES } from "./problems";
import { RISK_LEVELS } from "./risk";
import { TOKEN_ACCESS } from "./service-tokens";
import {
  cliLoginPollInput,
  cliLoginStartInput,
  serviceTokenInput,
  tokenValueInput,
} from "./validation/tokens";
import { variableInput } from "./validation/variables";

/** A zod schema as the JSON Schema of what a client sends (zod's own conversion; OpenAPI 3.1 is JSON Schema). */
const schemaOf = (schema: z.ZodType) => {
  const { $schema: _, ...rest } = z.toJSONSchema(schema, { io: "input", unrepresentable: "any" }) as Record<
    string,
    unknown
  >;
  return rest;
};

/** The OpenAPI document's components (lib/openapi.ts): how callers authenticate, and the shapes named by $ref. */
export const OPENAPI_COMPONENTS = {
  securitySchemes: {
    serviceToken: { type: "http", scheme: "bearer", description: "A service token: `rb_st_…`" },
    session: {
      type: "apiKey",
      in: "cookie",
      name: "next-auth.session-token",
      description: "A person's console session",
    },
  },
  schemas: {
    Problem: {
      type: "object",
      required: ["type", "title", "status", "code"],
      properties: {
        type: { type: "string", description: "`urn:ringbearer:problem:<code>`" },
        title: { type: "string" },
        status: { type: "integer" },
        code: { type: "string", enum: [...PROBLEM_CODES] },
        errors: { type: "object", additionalProperties: { type: "array", items: { type: "string" } } },
      },
    },
    ServiceTokenInput: schemaOf(serviceTokenInput),
    ValueInput: schemaOf(tokenValueInput),
    VariableInput: schemaOf(variableInput),
    CliLoginStart: schemaOf(cliLoginStartInput),
    CliLoginPoll: schemaOf(cliLoginPollInput),
    CliLogin: {
      type: "object",
      properties: {
        deviceCode: { type: "string", description: "Kept by the CLI; polls with it" },
        userCode: { type: "string", pattern: "^[B-DF-HJ-NP-TV-XZ]{4}-[B-DF-HJ-NP-TV-XZ]{4}$" },
        verificationUri: { type: "string" },
        verificationUriComplete: { type: "string" },
        expiresIn: { type: "integer", description: "Seconds" },
        interval: { type: "integer", description: "Seconds between polls" },
      },
    },
    CliLoginState: {
      type: "object",
      required: ["status"],
      properties: {
        status: { type: "string", enum: ["pending", "denied", "expired", "approved"] },
        token: { type: "string", description: "Only with `approved`, only once: a 12-hour personal token" },
        organization: { type: "string" },
        environments: { type: "array", items: { type: "string" } },
        access: { type: "string", enum: [...TOKEN_ACCESS] },
        expiresAt: { type: "string", format: "date-time" },
      },
    },
    Value: {
      type: "object",
      properties: {
        key: { type: "string" },
        environment: { type: "string" },
        value: { type: "string", description: "Resolved" },
        written: { type: "string", description: "As written, when it holds references" },
        version: { type: "integer" },
      },
    },
    Variable: {
      type: "object",
      properties: {
        name: { type: "string" },
        displayName: { type: ["string", "null"] },
        description: { type: ["string", "null"] },
        type: { type: "string" },
        classification: { type: "string" },
        required: { type: "boolean" },
        weddingCritical: { type: "boolean" },
        tags: { type: "array", items: { type: "string" } },
        version: { type: "integer", description: "The metadata's version (If-Match of a delete)" },
        values: {
          type: "object",
          description: "The version of its value by environment name, where it has one the caller may read",
          additionalProperties: { type: "integer" },
        },
      },
    },
    Health: {
      type: "object",
      properties: {
        environment: { type: "string" },
        status: { type: "string", enum: ["healthy", "warning", "critical"] },
        reasons: { type: "array", items: { type: "string" } },
        missingVariables: { type: "integer" },
        missingNames: { type: "array", items: { type: "string" } },
        configurationDrift: { type: "integer" },
        criticalDrift: { type: "integer" },
        failedValidations: { type: "integer" },
        lastSync: { type: ["string", "null"], format: "date-time" },
        lastFailedSync: { type: ["string", "null"], format: "date-time" },
      },
    },
    CreatedToken: {
      type: "object",
      required: ["id", "token"],
      properties: {
        id: { type: "string", format: "uuid" },
        token: { type: "string", pattern: "^rb_st_[0-9A-Za-z]{38}$" },
        name: { type: "string" },
        environments: { type: "array", items: { type: "string" } },
        access: { type: "string", enum: [...TOKEN_ACCESS] },
        expiresAt: { type: "string", format: "date-time" },
      },
    },
    TokenSummary: {
      type: "object",
      properties: {
        id: { type: "string", format: "uuid" },
        name: { type: "string" },
        hint: { type: "string" },
        environments: { type: "array", items: { type: "string" } },
        access: { type: "string", enum: [...TOKEN_ACCESS] },
        namePrefix: { type: ["string", "null"] },
        tag: { type: ["string", "null"] },
        allowedCidrs: { type: "array", items: { type: "string" } },
        expiresAt: { type: "string", format: "date-time" },
        createdAt: { type: "string", format: "date-time" },
        createdBy: { type: "string" },
        revokedAt: { type: ["string", "null"], format: "date-time" },
        revokedBy: { type: ["string", "null"] },
        lastUsedAt: { type: ["string", "null"], format: "date-time" },
        lastUsedFrom: { type: ["string", "null"] },
        useCount: { type: "integer" },
      },
    },
    WriteApplied: {
      type: "object",
      properties: {
        status: { const: "applied" },
        key: { type: "string" },
        version: { type: "integer" },
      },
    },
    WriteRequested: {
      type: "object",
      properties: {
        status: { const: "requested" },
        key: { type: "string" },
        changeRequest: {
          type: "object",
          properties: {
            id: { type: "string", format: "uuid" },
            riskLevel: { type: "string", enum: [...RISK_LEVELS] },
            url: { type: "string" },
          },
        },
      },
    },
  },
} as const;
