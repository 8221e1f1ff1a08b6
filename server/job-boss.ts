import type { PgBoss } from "pg-boss";

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
