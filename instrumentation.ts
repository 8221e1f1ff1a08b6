/**
 * Runs once when the Next server starts. On Node it refuses to serve if the configuration is wrong or the
 * database role could bypass row-level security (`npm start` checks too; this covers `next start` run directly),
 * then starts the background jobs (pg-boss) without waiting for them: a failure there is logged, not fatal.
 */
export async function register() {
  if (process.env.NEXT_RUNTIME === "nodejs" && process.env.NEXT_PHASE !== "phase-production-build") {
    const { assertSafeStartup } = await import("./server/startup-check");
    await assertSafeStartup();
    const { startJobs } = await import("./server/jobs");
    void startJobs();
  }
}
