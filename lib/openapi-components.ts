import { z } from "zod";
import { PROBLEM_CODES } from "./problems";
import { RISK_LEVELS } from "./risk";
import { TOKEN_ACCESS } from "./service-tokens";
import { serviceTokenInput, tokenValueInput } from "./validation/tokens";

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
