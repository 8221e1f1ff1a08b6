import { CONSENT_PURPOSES } from "../destinations/consent";
import { DESTINATION_TYPES } from "../destinations/types";
import { pick, token } from "./shared";

/** The consent runtime: an environment's analytics destinations a visitor's consent allows. */
export const DESTINATION_PATHS = {
  "/api/v1/destinations": {
    get: {
      operationId: "consentedDestinations",
      summary: "The enabled analytics destinations a visitor's consent allows, with their settings and keys",
      description:
        "Destinations of the environment that are enabled and whose required consent is all in `consent` (`necessary` is always granted). A `client` token gets the keys meant for browsers only; a `read` or `read-write` token gets server-side secrets too. Keys are values of the environment, read within the token's scope and its creator's access. Answers an `ETag`; `If-None-Match` with it is `304` while nothing it covers changed. Audited: one row naming the token, the environment and the count.",
      security: token,
      parameters: [
        {
          name: "environment",
          in: "query",
          required: true,
          schema: { type: "string", maxLength: 64 },
          description: "The environment's name, e.g. `production`",
        },
        {
          name: "consent",
          in: "query",
          required: false,
          schema: { type: "string", maxLength: 200 },
          description: `The purposes the visitor granted, comma-separated: ${CONSENT_PURPOSES.join(", ")}`,
        },
        { name: "If-None-Match", in: "header", required: false, schema: { type: "string" } },
      ],
      responses: {
        "200": {
          description: "The destinations, in type order",
          headers: { ETag: { schema: { type: "string" } } },
          content: {
            "application/json": {
              schema: {
                type: "object",
                properties: {
                  environment: { type: "string" },
                  consent: { type: "array", items: { type: "string", enum: [...CONSENT_PURPOSES] } },
                  destinations: {
                    type: "array",
                    items: {
                      type: "object",
                      properties: {
                        id: { type: "string", format: "uuid" },
                        type: { type: "string", enum: [...DESTINATION_TYPES] },
                        name: { type: "string" },
                        testMode: { type: "boolean" },
                        requiredConsent: { type: "array", items: { type: "string" } },
                        settings: { type: "object", additionalProperties: true },
                        keys: {
                          type: "object",
                          additionalProperties: { type: "string" },
                          description: "Vault field → value (e.g. `apiKey`)",
                        },
                      },
                    },
                  },
                },
              },
            },
          },
        },
        "304": { description: "Unchanged since the ETag sent in If-None-Match" },
        ...pick("401", "403", "404", "422", "429", "503"),
      },
    },
  },
};
