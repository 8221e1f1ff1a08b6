import { readFile } from "node:fs/promises";
import path from "node:path";
import postgres from "postgres";
import { jobRunnerProof, jobRunnerVerifier } from "@/lib/crypto";
import { migrateJobSchema } from "./job-schema";
import { firstTokenHashKey } from "./vault";

/**
 * Applies the migrations drizzle-kit generated (listed in migrations/meta/_journal.json, plus the
 * hand-written custom ones it tracks) and rolls them back with migrations/rollback/<tag>.down.sql.
 * Runs as the owner role; the app role's name is passed to the migrations for their grants.
 *
 * A migrate or a rollback holds a session-level advisory lock on its owner connection from start to end
 * (pg-boss's part included), so app instances starting together migrate one after the other: the second finds
 * nothing left to do.
 */
const dir = path.join(process.cwd(), "migrations");

type Journal = { entries: { idx: number; tag: string }[] };

/** The migrations this code knows, in the order they apply. */
export async function journal(): Promise<string[]> {
  const raw = await readFile(path.join(dir, "meta", "_journal.json"), "utf8");
  return (JSON.parse(raw) as Journal).entries.sort((a, b) => a.idx - b.idx).map((e) => e.tag);
}

/** The advisory lock's key: one per database (advisory locks are per database). */
const MIGRATION_LOCK = "ringbearer.migrations";

async function withOwner<T>(
  ownerUrl: string,
  fn: (sql: postgres.Sql) => Promise<T>,
  { lock }: { lock: boolean },
): Promise<T> {
  // One connection for the whole run, never recycled: the session lock lives and dies with it.
  const sql = postgres(ownerUrl, { max: 1, max_lifetime: 0, onnotice: () => {} });
  try {
    if (lock) await sql`select pg_advisory_lock(hashtextextended(${MIGRATION_LOCK}, 0))`;
    await sql`create table if not exists ringbearer_migrations (
      tag text primary key, applied_at timestamptz not null default now())`;
    return await fn(sql);
  } finally {
    // Ending the session releases the lock too; unlocking first frees the next migrator without waiting for it.
    if (lock) await sql`select pg_advisory_unlock(hashtextextended(${MIGRATION_LOCK}, 0))`.catch(() => {});
    await sql.end({ timeout: 5 });
  }
}

async function applied(sql: postgres.Sql): Promise<string[]> {
  const rows = await sql<{ tag: string }[]>`select tag from ringbearer_migrations order by tag`;
  return rows.map((r) => r.tag);
}

/**
 * Applies pending migrations (`only`: just these, as a restore does up to its backup's version), then ANALYZE;
 * then (not with `only`) has pg-boss create or migrate its own schema as the owner (db/job-schema.ts); with the
 * master key, also registers the job runner's key verifier (the SHA-256 of a key derived from it, migration
 * 0021), so background jobs of this deployment can list their contexts, and stores the installation's token-hash
 * key if it has none (migration 0040; derived from the previous master key when one is given). With `limits`, writes
 * the installation's default usage limits (0053).
 */
export async function migrate(
  ownerUrl: string,
  appRole: string,
  options: {
    masterKey?: Buffer;
    previousMasterKey?: Buffer;
    only?: ReadonlySet<string>;
    /** The installation's default usage limits from the configuration (RINGBEARER_LIMITS, lib/limits.ts). */
    limits?: Partial<Record<string, number>>;
  } = {},
): Promise<string[]> {
  return withOwner(
    ownerUrl,
    async (sql) => {
      const done = new Set(await applied(sql));
      const ran: string[] = [];
      for (const tag of await journal()) {
        if (done.has(tag) || (options.only && !options.only.has(tag))) continue;
        const body = await readFile(path.join(dir, `${tag}.sql`), "utf8");
        await sql.begin(async (tx) => {
          await tx`select set_config('ringbearer.app_role', ${appRole}, true)`;
          await tx.unsafe(body);
          await tx`insert into ringbearer_migrations (tag) values (${tag})`;
        });
        ran.push(tag);
      }
      // Fresh planner statistics for what the migrations created or rewrote (autovacuum would take a while).
      if (ran.length > 0) await sql`analyze`;
      if (!options.only) await migrateJobSchema(sql, ownerUrl, appRole);
      // The audit's monthly partitions, this month and three ahead (also the daily integrity job's): 0054.
      if (!options.only && (await applied(sql)).includes("0054_audit_partitions"))
        await sql`select audit_ensure_partitions()`;
      if (options.masterKey) {
        const verifier = jobRunnerVerifier(jobRunnerProof(options.masterKey));
        await sql`insert into job_runner_keys (id, verifier) values (1, ${verifier})
        on conflict (id) do update set verifier = excluded.verifier, registered_at = now()
        where job_runner_keys.verifier <> excluded.verifier`;
        // The token-hash key, kept from now on (0040): the bytes tokens were hashed under until now.
        const first = firstTokenHashKey({ current: options.masterKey, previous: options.previousMasterKey });
        if ((await applied(sql)).includes("0040_master_key_rotation"))
          await sql`insert into installation_keys (purpose, wrapped_key, kek_fingerprint)
            values (${first.purpose}, ${first.wrappedKey}, ${first.kekFingerprint}) on conflict (purpose) do nothing`;
      }
      if (options.limits && Object.keys(options.limits).length > 0 && !options.only)
        await sql`update installation_limits set ${sql(options.limits)}, updated_at = now(),
                  updated_by = 'RINGBEARER_LIMITS'`;
      return ran;
    },
    { lock: true },
  );
}

export async function rollback(ownerUrl: string, appRole: string, steps = 1): Promise<string[]> {
  return withOwner(
    ownerUrl,
    async (sql) => {
      const done = (await applied(sql)).reverse().slice(0, steps);
      for (const tag of done) {
        const body = await readFile(path.join(dir, "rollback", `${tag}.down.sql`), "utf8");
        await sql.begin(async (tx) => {
          await tx`select set_config('ringbearer.app_role', ${appRole}, true)`;
          await tx.unsafe(body);
          await tx`delete from ringbearer_migrations where tag = ${tag}`;
        });
      }
      return done;
    },
    { lock: true },
  );
}

export async function pendingMigrations(ownerUrl: string): Promise<string[]> {
  return withOwner(
    ownerUrl,
    async (sql) => {
      const done = new Set(await applied(sql));
      return (await journal()).filter((t) => !done.has(t));
    },
    { lock: false },
  );
}
