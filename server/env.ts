import { z } from "zod";
import { parseTrustedProxies } from "@/lib/client-address";
import { parseMasterKey } from "@/lib/crypto";
import { parseTimeoutSeconds } from "@/lib/db/session-timeouts";
import { parseAllowlist } from "@/lib/net/outbound-policy";
import { parseLimits } from "@/lib/usage-limits";

const postgresUrl = z
  .string({ error: "is missing" })
  .refine((v) => /^postgres(ql)?:\/\//.test(v), "must be a postgres:// URL");

/** RINGBEARER_DB_STATEMENT_TIMEOUT and friends: whole seconds, 0 turns one off (lib/db/session-timeouts.ts). */
const timeoutSeconds = z
  .string()
  .optional()
  .superRefine((v, ctx) => {
    const parsed = parseTimeoutSeconds(v, 0);
    if (typeof parsed === "string") ctx.addIssue({ code: "custom", message: parsed });
  });

const providerUrl = z
  .string()
  .optional()
  .refine((v) => v === undefined || v === "" || /^https?:\/\/[^\s/?#@]+(\/[^\s?#]*)?$/.test(v), {
    message: "must be an http(s):// address without credentials, query or fragment",
  });

const KEY_FORMAT = "must be 32 bytes, base64 (44 characters) or hex (64 characters)";

function isMasterKey(v: string) {
  try {
    parseMasterKey(v);
    return true;
  } catch {
    return false;
  }
}

const schema = z.object({
  DATABASE_URL: postgresUrl,
  DATABASE_OWNER_URL: postgresUrl.optional(),
  /** The operator console's monitoring role (pg_monitor; never a superuser): db/monitor.ts. */
  DATABASE_MONITOR_URL: postgresUrl.optional(),
  /** A streaming replica for machine reads (db/replica.ts): the app role on a hot standby of the primary. */
  DATABASE_REPLICA_URL: postgresUrl.optional(),
  /** How old the replica's data may be for a read to go there, in seconds (default 5). */
  RINGBEARER_REPLICA_MAX_LAG_SECONDS: z
    .string()
    .optional()
    .refine((v) => v === undefined || v.trim() === "" || /^\d{1,4}(\.\d+)?$/.test(v.trim()), {
      message: "must be a number of seconds, 0 to 9999",
    }),
  // The rule the key is read with (lib/crypto.ts), so what passes here opens: 32 bytes, base64 or hex.
  RINGBEARER_MASTER_KEY: z
    .string({ error: "is missing (32 bytes, base64 or hex)" })
    .refine(isMasterKey, KEY_FORMAT),
  /** The master key being rotated away from, accepted until `npm run keys:rotate-master` has rewrapped all. */
  RINGBEARER_MASTER_KEY_PREVIOUS: z
    .string()
    .optional()
    .refine((v) => !v?.trim() || isMasterKey(v), KEY_FORMAT),
  NEXTAUTH_SECRET: z.string({ error: "is missing" }).min(32, "must be at least 32 characters"),
  NEXTAUTH_URL: z.url("must be a URL such as http://localhost:3000").optional(),
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  RINGBEARER_SYNC_FILE_ROOT: z
    .string()
    .min(1, "must be a folder path")
    .refine((v) => !v.includes("\0"), "must be a folder path")
    .optional(),
  RINGBEARER_OUTBOUND_ALLOW: z
    .string()
    .optional()
    .superRefine((v, ctx) => {
      try {
        parseAllowlist(v);
      } catch (error) {
        ctx.addIssue({
          code: "custom",
          message: `must be a comma-separated list of host names, IP addresses and CIDR ranges: ${(error as Error).message}`,
        });
      }
    }),
  /** Proxies whose X-Forwarded-For may be believed: IPs and CIDR ranges, or a hop count (lib/client-address.ts). */
  RINGBEARER_TRUSTED_PROXIES: z
    .string()
    .optional()
    .superRefine((v, ctx) => {
      try {
        parseTrustedProxies(v);
      } catch (error) {
        ctx.addIssue({ code: "custom", message: error instanceof Error ? error.message : "is not valid" });
      }
    }),
  /** Requests per minute one service token may make (server/tokens/token-limits.ts). */
  RINGBEARER_TOKEN_RATE_LIMIT: z
    .string()
    .optional()
    .refine((v) => v === undefined || v.trim() === "" || /^[1-9]\d{0,5}$/.test(v.trim()), {
      message: "must be a whole number of requests per minute, 1 or more",
    }),
  /** Memory for the per-instance cache of machine reads, in MB; 0 turns it off (server/tokens/read-cache.ts). */
  RINGBEARER_READ_CACHE_MB: z
    .string()
    .optional()
    .refine((v) => v === undefined || v.trim() === "" || /^\d{1,4}$/.test(v.trim()), {
      message: "must be a whole number of megabytes, 0 to 9999",
    }),
  /** Days the webhook delivery log is kept (server/variables/purge.ts). */
  RINGBEARER_WEBHOOK_RETENTION_DAYS: z
    .string()
    .optional()
    .refine((v) => v === undefined || v.trim() === "" || /^[1-9]\d{0,3}$/.test(v.trim()), {
      message: "must be a whole number of days, 1 to 9999",
    }),
  /** The installation's default usage limits, `key=number` pairs (lib/limits.ts); the migration's otherwise. */
  RINGBEARER_LIMITS: z
    .string()
    .optional()
    .superRefine((v, ctx) => {
      const parsed = parseLimits(v);
      if (typeof parsed === "string") ctx.addIssue({ code: "custom", message: parsed });
    }),
  /** Who may create an account: `invite` (the default: by invitation only) or `open` (lib/organizations.ts). */
  RINGBEARER_SIGNUP: z.enum(["open", "invite"], { error: "must be open or invite" }).optional(),
  /** Where system alerts of the operator console are sent (server/ops/alert-webhook.ts); unset: nowhere. */
  RINGBEARER_OPS_WEBHOOK_URL: z
    .string()
    .optional()
    .refine((v) => v === undefined || v === "" || /^https?:\/\/[^\s?#]+(\?[^\s#]*)?$/.test(v), {
      message: "must be an http(s):// address without a fragment",
    }),
  /** Its Standard Webhooks signing secret (`whsec_` and 32 bytes in base64); required with the URL. */
  RINGBEARER_OPS_WEBHOOK_SECRET: z
    .string()
    .optional()
    .refine((v) => v === undefined || v === "" || /^whsec_[A-Za-z0-9+/]{43}=$/.test(v), {
      message: "must be whsec_ and 32 bytes in base64",
    }),
  /** Analytics providers' base addresses for connection tests (lib/destinations/connection.ts); the real ones by default. */
  /** Integration providers' API addresses for health checks and OAuth (server/integrations); the real ones by default. */
  RINGBEARER_STRIPE_API_URL: providerUrl,
  RINGBEARER_HUBSPOT_API_URL: providerUrl,
  RINGBEARER_QUICKBOOKS_API_URL: providerUrl,
  RINGBEARER_STRIPE_OAUTH_URL: providerUrl,
  RINGBEARER_HUBSPOT_OAUTH_URL: providerUrl,
  RINGBEARER_QUICKBOOKS_OAUTH_URL: providerUrl,
  RINGBEARER_GA4_URL: providerUrl,
  RINGBEARER_META_GRAPH_URL: providerUrl,
  RINGBEARER_AMPLITUDE_URL: providerUrl,
  RINGBEARER_AMPLITUDE_EU_URL: providerUrl,
  RINGBEARER_DB_STATEMENT_TIMEOUT: timeoutSeconds,
  RINGBEARER_DB_IDLE_IN_TRANSACTION_TIMEOUT: timeoutSeconds,
  RINGBEARER_DB_CLIENT_CHECK_INTERVAL: timeoutSeconds,
});

export type AppEnv = z.infer<typeof schema>;

/** The master key and, during a master-key rotation, the previous one (db/vault.ts Keyring). */
export function masterKeyringOf(env: AppEnv) {
  const previous = env.RINGBEARER_MASTER_KEY_PREVIOUS?.trim();
  return {
    current: parseMasterKey(env.RINGBEARER_MASTER_KEY),
    previous: previous ? parseMasterKey(previous) : undefined,
  };
}

/** Validates the app's configuration; the message names every variable that is missing or wrong. */
export function parseEnv(source: Record<string, string | undefined>): AppEnv {
  const result = schema.safeParse(source);
  const lines: string[] = [];
  if (result.success) {
    const ring = masterKeyringOf(result.data);
    const { RINGBEARER_OPS_WEBHOOK_URL: url, RINGBEARER_OPS_WEBHOOK_SECRET: secret } = result.data;
    if (ring.previous?.equals(ring.current))
      lines.push("  RINGBEARER_MASTER_KEY_PREVIOUS is the same key as RINGBEARER_MASTER_KEY: unset it");
    if (Boolean(url) !== Boolean(secret))
      lines.push(
        "  RINGBEARER_OPS_WEBHOOK_URL and RINGBEARER_OPS_WEBHOOK_SECRET go together: set both or neither",
      );
    if (lines.length === 0) return result.data;
  } else lines.push(...result.error.issues.map((i) => `  ${i.path.join(".")} ${i.message}`));
  throw new Error(`Ringbearer cannot start; fix its environment variables:\n${lines.join("\n")}`);
}

/** Just the database URLs (for `npm run db:rollback`, which needs no keys), named like parseEnv's. */
export function parseDatabaseEnv(source: Record<string, string | undefined>) {
  const result = schema.pick({ DATABASE_URL: true, DATABASE_OWNER_URL: true }).safeParse(source);
  if (result.success) return result.data;
  const lines = result.error.issues.map((i) => `  ${i.path.join(".")} ${i.message}`);
  throw new Error(
    `Ringbearer cannot reach its database; fix its environment variables:\n${lines.join("\n")}`,
  );
}

export function roleFromUrl(url: string): string {
  return decodeURIComponent(new URL(url).username) || "postgres";
}
