import { databaseFailing, lastDatabaseFailure } from "@/db/availability";
import { probeDatabase } from "@/db/probe";
import { publicRoute } from "@/server/entry/route";
import { log } from "@/server/log";

export const dynamic = "force-dynamic";

/**
 * Liveness for monitors: 200 when the database answers, 503 otherwise. No tenant data. It tells what the
 * console's requests see: a transaction through the app's own pool (the path every request takes), and 503
 * as long as the latest request of this instance failed to reach the database (db/availability.ts), even if
 * the probe's own connection answered.
 */
export const GET = publicRoute({
  capability: "public",
  run: async () => {
    const started = performance.now();
    const reachable = await probeDatabase();
    const failing = databaseFailing();
    if (reachable && !failing)
      return Response.json(
        { status: "ok", database: "ok", latencyMs: Math.round(performance.now() - started) },
        { headers: { "Cache-Control": "no-store" } },
      );
    log.warn(
      {
        event: "health",
        reachable,
        failing,
        lastFailure: lastDatabaseFailure(),
        ms: Math.round(performance.now() - started),
      },
      "health check: database unavailable",
    );
    return Response.json(
      { status: "error", database: "unavailable", error: { code: "unavailable:database" } },
      { status: 503, headers: { "Cache-Control": "no-store", "Retry-After": "5" } },
    );
  },
});
