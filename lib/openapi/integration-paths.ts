import { pick, problem, session } from "./shared";

/** Providers' webhooks to a webhook config: authenticated by the provider's signature, not a token. */
export const INTEGRATION_PATHS = {
  "/api/v1/integrations/oauth/callback": {
    get: {
      operationId: "oauthCallback",
      summary: "Where a provider sends a person back after an OAuth authorization (a browser, not a client)",
      description:
        "The `state` names the organization; the person must be signed in, may manage integrations, and be the one who started the connection (within 10 minutes, once). Redirects to the config's page with `?oauth=connected`, or to the integrations page with `?oauth=failed&reason=…`.",
      security: session,
      parameters: [
        { name: "code", in: "query", required: false, schema: { type: "string" } },
        { name: "state", in: "query", required: true, schema: { type: "string" } },
      ],
      responses: {
        "303": { description: "Back to the console" },
        ...pick("401", "403"),
      },
    },
  },
  "/api/v1/integrations/{id}/webhook": {
    post: {
      operationId: "receiveProviderWebhook",
      summary: "A provider's webhook (Stripe, HubSpot, QuickBooks) to a webhook config",
      description:
        "Called by the provider, not by you: the signature (`Stripe-Signature`, `X-HubSpot-Signature-v3` with `X-HubSpot-Request-Timestamp`, or `intuit-signature`) is checked with the config's signing secret from the vault over the body as sent, with a 5-minute tolerance where the scheme has a timestamp. Every request is recorded; a verified event once per event id.",
      security: [],
      parameters: [{ name: "id", in: "path", required: true, schema: { type: "string", format: "uuid" } }],
      requestBody: { required: true, content: { "application/json": { schema: { type: "object" } } } },
      responses: {
        "200": {
          description: "Verified and recorded",
          content: {
            "application/json": {
              schema: {
                type: "object",
                properties: { received: { type: "integer" }, duplicates: { type: "integer" } },
              },
            },
          },
        },
        "400": problem("`signature_invalid` (recorded, never processed)"),
        "404": problem("No live, active webhook config with this id"),
        "413": problem("The body is larger than 64 KB"),
        "422": problem("A verified body that is not JSON"),
        "429": problem("Too many refused requests to this config in 15 minutes"),
      },
    },
  },
};
