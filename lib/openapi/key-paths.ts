import { orgQuery, pick, problem, session } from "./shared";

const json = (schema: object) => ({ "application/json": { schema } });
const time = { type: "string", format: "date-time" };
const timeOrNull = { type: ["string", "null"], format: "date-time" };
const rotationStatus = { type: "string", enum: ["running", "paused", "completed", "failed"] };

const KEY_VERSION = {
  type: "object",
  properties: {
    keyId: { type: "string", description: "`data:<organization id>:<version>` for a data key" },
    keyType: { type: "string", enum: ["master", "data", "backup", "hmac"] },
    keyVersion: { type: "integer" },
    keyStatus: {
      type: "string",
      enum: ["pending", "active", "rotating", "deprecated", "revoked"],
      description: "`pending`: a rotation's new hash key, active once every value hash moved to it",
    },
    algorithm: { type: "string" },
    createdAt: time,
    rotatedAt: timeOrNull,
  },
};

const LATEST_ROTATION = {
  type: ["object", "null"],
  description: "The latest rotation with its live progress; `null` before the first",
  properties: {
    id: { type: "string", format: "uuid" },
    dataKeyId: { type: "string" },
    fromKeyIds: { type: "array", items: { type: "string" } },
    hashKeyId: { type: ["string", "null"], description: "The hash key value hashes move to at the end" },
    hashesSwappedAt: { ...timeOrNull, description: "When every value hash moved to it; null until then" },
    status: rotationStatus,
    statusReason: { type: ["string", "null"], description: "Why it is paused or failed" },
    total: { type: "integer", description: "Rows to re-encrypt when it started" },
    processed: { type: "integer" },
    succeeded: { type: "integer" },
    failed: { type: "integer" },
    remaining: { type: "integer", description: "Rows still sealed by a retiring key (live count)" },
    percent: { type: "integer", minimum: 0, maximum: 100 },
    ratePerSecond: { type: "number" },
    etaSeconds: { type: ["integer", "null"] },
    startedAt: time,
    updatedAt: time,
    finishedAt: timeOrNull,
    failures: {
      type: "array",
      description: "Rows it could not decrypt (at most 50)",
      items: {
        type: "object",
        properties: { store: { type: "string" }, rowId: { type: "string" }, reason: { type: "string" } },
      },
    },
  },
};

/** The paths of encryption keys: the overview, starting a data-key rotation, revoking a deprecated version. */
export const KEY_PATHS = {
  "/api/v1/keys": {
    get: {
      operationId: "listKeys",
      summary: "The encryption keys, key settings and rotations (owners, admins, security reviewers)",
      description: "Every key version and its status, never key material.",
      security: session,
      parameters: [orgQuery],
      responses: {
        "200": {
          description: "The overview",
          content: json({
            type: "object",
            properties: {
              keys: { type: "array", items: KEY_VERSION },
              settings: {
                type: "object",
                properties: {
                  minDecryptionVersion: { type: "integer" },
                  dataKeyRotationDays: { type: ["integer", "null"] },
                },
              },
              rotation: LATEST_ROTATION,
              history: {
                type: "array",
                description: "The rotations before the latest, newest first",
                items: {
                  type: "object",
                  properties: {
                    id: { type: "string", format: "uuid" },
                    dataKeyId: { type: "string" },
                    status: rotationStatus,
                    processed: { type: "integer" },
                    failed: { type: "integer" },
                    startedAt: time,
                    finishedAt: timeOrNull,
                  },
                },
              },
            },
          }),
        },
        ...pick("401", "403", "422", "503"),
      },
    },
  },
  "/api/v1/keys/rotations": {
    post: {
      operationId: "startKeyRotation",
      summary: "Start a data-key rotation (owners and admins)",
      description:
        "A new data-key version takes new writes at once; the versions it replaces become `rotating` and still decrypt while a background job re-encrypts what they seal. Rows of an environment under its wedding lock wait for the window to end (the rotation is `paused`). The body is `{}`; no parameter but `org` is taken.",
      security: session,
      parameters: [orgQuery],
      requestBody: {
        required: true,
        content: json({ type: "object", additionalProperties: false, description: "Nothing: `{}`" }),
      },
      responses: {
        "201": {
          description: "Started",
          content: json({
            type: "object",
            properties: {
              id: { type: "string", format: "uuid" },
              status: rotationStatus,
              dataKeyId: { type: "string" },
              total: { type: "integer" },
              startedAt: time,
            },
          }),
        },
        "409": problem("A rotation is already running or paused"),
        "413": problem("A body over 64 KB"),
        ...pick("401", "403", "422", "503"),
      },
    },
  },
  "/api/v1/keys/{id}/revoke": {
    post: {
      operationId: "revokeKey",
      summary: "Revoke a deprecated data-key version: it never decrypts again (owners and admins)",
      security: session,
      parameters: [
        {
          name: "id",
          in: "path",
          required: true,
          description: "`data:<organization id>:<version>`",
          schema: { type: "string", pattern: "^data:[0-9a-f-]{36}:[1-9][0-9]*$" },
        },
        orgQuery,
      ],
      responses: {
        "200": {
          description: "Revoked",
          content: json({
            type: "object",
            properties: { keyId: { type: "string" }, version: { type: "integer" } },
          }),
        },
        "404": problem("No data-key version of this organization by that id"),
        "409": problem(
          "The version is active, rotating or still encrypts something (only a deprecated, unused one can be revoked), or is revoked already",
        ),
        ...pick("401", "403", "503"),
      },
    },
  },
};
