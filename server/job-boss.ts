import { type ConstructorOptions, PgBoss } from "pg-boss";

/**
 * This process's pg-boss once server/jobs.ts has started it (one per process, kept across hot reloads), for code
 * that queues a job right after its transaction commits — e.g. a key rotation starting at once rather than at
 * the next minute's tick. Undefined where jobs do not run (tests, the CLI).
 */
const state = globalThis as unknown as { ringbearerJobs?: PgBoss };

export const jobBoss = (): PgBoss | undefined => state.ringbearerJobs;

export function setJobBoss(boss: PgBoss | undefined) {
  state.ringbearerJobs = boss;
}

/** How often lapsed heartbeats and expired jobs are failed, in seconds (pg-boss's default is a minute). */
export const SUPERVISE_SECONDS = 10;

/**
 * pg-boss as the app role, on the schema pg-boss made at migrate time (db/job-schema.ts): it migrates nothing
 * and owns nothing; it refuses to start on a schema at another version than its own ("requires migrations").
 */
export function createBoss(databaseUrl: string, options: Partial<ConstructorOptions> = {}) {
  return new PgBoss({
    connectionString: databaseUrl,
    schema: "pgboss",
    migrate: false,
    createSchema: false,
    reindex: false, // REINDEX needs the owner
    max: 4,
    application_name: "ringbearer-jobs",
    // How often lapsed heartbeats and expired jobs are failed (pg-boss's default is a minute).
    superviseIntervalSeconds: SUPERVISE_SECONDS,
    monitorIntervalSeconds: SUPERVISE_SECONDS,
    ...options,
  });
}
