import { DESTINATION_PATHS } from "./openapi/destination-paths";
import { INTEGRATION_PATHS } from "./openapi/integration-paths";
import { KEY_PATHS } from "./openapi/key-paths";
import { TOKEN_PATHS } from "./openapi/token-paths";
import { VALUE_PATHS } from "./openapi/value-paths";
import { VARIABLE_PATHS } from "./openapi/variable-paths";
import { OPENAPI_COMPONENTS } from "./openapi-components";

/**
 * The machine API's OpenAPI 3.1 document (served at /api/v1/openapi.json, shown on the console's API page).
 * Request bodies are the zod schemas the routes validate with, turned into JSON Schema by zod itself, so the
 * document cannot drift from what the server accepts.
 */

export function openApiDocument(serverUrl = "/") {
  return {
    openapi: "3.1.0",
    info: {
      title: "Ringbearer machine API",
      version: "1.0.0",
      description:
        "Read and write an environment's configuration with a service token; create and revoke tokens, and see and rotate the encryption keys, with a person's session. Errors are RFC 9457 problem details with a stable `code`.",
    },
    servers: [{ url: serverUrl }],
    paths: {
      ...TOKEN_PATHS,
      ...VALUE_PATHS,
      ...VARIABLE_PATHS,
      ...DESTINATION_PATHS,
      ...INTEGRATION_PATHS,
      ...KEY_PATHS,
    },
    components: OPENAPI_COMPONENTS,
  } as const;
}

export type OpenApiDocument = ReturnType<typeof openApiDocument>;
