/**
 * Resolves the configuration (embedded database when DATABASE_URL is unset), validates it, refuses a master
 * key the database's keys were not made with (before migrating, which registers the key, and after), migrates,
 * refuses an app role that could bypass RLS, and seeds the demo organization into an empty database.
 */
import path from "node:path";
import { createDb } from "@/db/client";
import { masterKeyMismatch } from "@/db/master-key-check";
import { migrate } from "@/db/migrate";
import { appRoleProblems } from "@/db/role-check";
import type { Keyring } from "@/db/vault";
import { DEFAULT_LIMITS, parseLimits } from "@/lib/usage-limits";
import { masterKeyringOf, parseEnv, roleFromUrl } from "@/server/env";
import { isEmpty, seedDemo } from "@/server/seed";
import { type LocalDatabase, startLocalDatabase } from "./local-db.mts";

export type Prepared = { local?: LocalDatabase; seeded: boolean; port: number };

/**
 * The database to use: DATABASE_URL's, or, when it is unset, the embedded PostgreSQL started here, whose URLs and
 * secrets are put in the environment. Nothing is migrated (`npm run db:rollback` uses just this).
 */
export async function resolveDatabase(log: (m: string) => void): Promise<LocalDatabase | undefined> {
  const env = process.env;
  if (env.DATABASE_URL) return undefined;
  const dataDir = path.resolve(env.RINGBEARER_DATA_DIR ?? ".data");
  const pgPort = Number(env.RINGBEARER_PG_PORT ?? 54329);
  log(
    `Starting the embedded PostgreSQL in ${path.relative(process.cwd(), dataDir) || "."} (port ${pgPort})…`,
  );
  const local = await startLocalDatabase(dataDir, pgPort, log);
  env.DATABASE_URL = local.databaseUrl;
  env.DATABASE_OWNER_URL = local.ownerUrl;
  env.DATABASE_MONITOR_URL ??= local.monitorUrl;
  env.RINGBEARER_MASTER_KEY ??= local.secrets.masterKey;
  // Mid-way through a master-key rotation of the embedded key file (npm run keys:rotate-master).
  if (local.secrets.previousMasterKey && env.RINGBEARER_MASTER_KEY === local.secrets.masterKey)
    env.RINGBEARER_MASTER_KEY_PREVIOUS ??= local.secrets.previousMasterKey;
  env.NEXTAUTH_SECRET ??= local.secrets.nextauthSecret;
  return local;
}

export async function prepare(opts: { seed: boolean; log: (m: string) => void }): Promise<Prepared> {
  const env = process.env;
  const local = await resolveDatabase(opts.log);
  env.PORT ??= "3000";
  env.NEXTAUTH_URL ??= `http://localhost:${env.PORT}`;
  const config = parseEnv(env);
  const ownerUrl = config.DATABASE_OWNER_URL ?? config.DATABASE_URL;
  // Checked before migrating (a superuser URL never gets the schema) and after (the app role owns nothing).
  await refuseUnsafeAppRole(config.DATABASE_URL);
  const ring = masterKeyringOf(config);
  await refuseOtherMasterKey(config.DATABASE_URL, ring, { migrating: true, requireCheck: false });
  const ran = await migrate(ownerUrl, roleFromUrl(config.DATABASE_URL), {
    masterKey: ring.current,
    previousMasterKey: ring.previous,
    // Every default, each replaced where RINGBEARER_LIMITS names it: a name removed from it goes back to its default.
    limits: {
      ...DEFAULT_LIMITS,
      ...(parseLimits(config.RINGBEARER_LIMITS) as Partial<Record<string, number>>),
    },
  });
  if (ran.length > 0) opts.log(`Applied migrations: ${ran.join(", ")}`);
  await refuseUnsafeAppRole(config.DATABASE_URL);
  await refuseOtherMasterKey(config.DATABASE_URL, ring, { migrating: false, requireCheck: true });
  let seeded = false;
  const productionWithoutDemo = env.NODE_ENV === "production" && env.RINGBEARER_SEED_DEMO !== "true";
  if (opts.seed && !productionWithoutDemo) {
    const db = createDb(config.DATABASE_URL, { max: 1 });
    try {
      if (await isEmpty(db)) {
        await seedDemo(db);
        seeded = true;
        opts.log("Seeded the demo organization.");
      }
    } finally {
      await db.$client.end({ timeout: 5 });
    }
  }
  return { local, seeded, port: config.PORT };
}

async function refuseUnsafeAppRole(databaseUrl: string) {
  const problems = await appRoleProblems(databaseUrl);
  if (problems.length > 0) {
    throw new Error(
      `Refusing to serve: row-level security would not bind the app.\n  ${problems.join("\n  ")}\n` +
        "Connect DATABASE_URL as a role that is not superuser, has no BYPASSRLS and owns no table.",
    );
  }
}

async function refuseOtherMasterKey(
  databaseUrl: string,
  ring: Keyring,
  opts: { migrating: boolean; requireCheck: boolean },
) {
  const problem = await masterKeyMismatch(databaseUrl, ring, opts);
  if (problem) throw new Error(`Refusing to serve: ${problem}`);
}
