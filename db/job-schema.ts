import { PgBoss } from "pg-boss";
import type postgres from "postgres";

/**
 * pg-boss owns its schema, `pgboss`: at migrate time, as the database owner, pg-boss itself creates it (a fresh
 * database) or migrates it to the version the installed pg-boss needs (an upgrade; a schema migration 0015 once
 * copied by hand is adopted the same way). The app runs pg-boss as the app role with its migrations off
 * (server/jobs.ts): it reads and writes the queue's rows and owns nothing there. Its privileges come from default
 * privileges of the owner in `pgboss` (migration 0026), so what a later pg-boss creates is usable at once, and
 * from grants on what exists, re-applied after every pg-boss migration.
 */
export const JOB_SCHEMA = "pgboss";

/** The app role's privileges in pgboss: usage, rows, sequences and functions; no CREATE, nothing for PUBLIC. */
const GRANTS = `
DO $$
DECLARE app text := current_setting('ringbearer.app_role');
BEGIN
  EXECUTE 'REVOKE ALL ON SCHEMA pgboss FROM PUBLIC';
  EXECUTE 'REVOKE ALL ON ALL TABLES IN SCHEMA pgboss FROM PUBLIC';
  EXECUTE 'REVOKE ALL ON ALL FUNCTIONS IN SCHEMA pgboss FROM PUBLIC';
  EXECUTE format('GRANT USAGE ON SCHEMA pgboss TO %I', app);
  EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA pgboss TO %I', app);
  EXECUTE format('GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA pgboss TO %I', app);
  EXECUTE format('GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA pgboss TO %I', app);
  EXECUTE format('ALTER DEFAULT PRIVILEGES FOR ROLE %I IN SCHEMA pgboss GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO %I', current_user, app);
  EXECUTE format('ALTER DEFAULT PRIVILEGES FOR ROLE %I IN SCHEMA pgboss GRANT USAGE, SELECT ON SEQUENCES TO %I', current_user, app);
  EXECUTE format('ALTER DEFAULT PRIVILEGES FOR ROLE %I IN SCHEMA pgboss GRANT EXECUTE ON FUNCTIONS TO %I', current_user, app);
END $$`;

/** How long migrate waits for pg-boss's background index builds (BAM) that its migration queued. */
const BACKGROUND_BUILDS_MS = 10 * 60_000;

/**
 * Has pg-boss create or migrate its schema as the owner (`ownerUrl`; the caller holds the migration lock), waits
 * for the index builds its migration left to its background runner, then re-applies the app role's grants on
 * `sql` (an owner connection).
 */
export async function migrateJobSchema(sql: postgres.Sql, ownerUrl: string, appRole: string) {
  const boss = new PgBoss({
    connectionString: ownerUrl,
    schema: JOB_SCHEMA,
    migrate: true,
    createSchema: true,
    supervise: false,
    schedule: false,
    max: 2,
    application_name: "ringbearer-migrate",
  });
  const errors: unknown[] = [];
  boss.on("error", (error) => errors.push(error));
  try {
    await boss.start();
    await backgroundBuildsDone(sql);
  } finally {
    await boss.stop({ graceful: true, timeout: 10_000 });
  }
  if (errors.length > 0) throw errors[0];
  await sql.begin(async (tx) => {
    await tx`select set_config('ringbearer.app_role', ${appRole}, true)`;
    await tx.unsafe(GRANTS);
  });
}

/** Waits until pg-boss's background runner has no pending or running command left (a failed one is retried later). */
async function backgroundBuildsDone(sql: postgres.Sql) {
  const deadline = Date.now() + BACKGROUND_BUILDS_MS;
  for (;;) {
    const [{ left }] = await sql<{ left: number }[]>`
      select count(*)::int as left from pgboss.bam where status in ('pending', 'in_progress')`;
    if (left === 0) return;
    if (Date.now() > deadline)
      throw new Error(
        `pg-boss's background index builds did not finish within ${BACKGROUND_BUILDS_MS / 1000} s`,
      );
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}
