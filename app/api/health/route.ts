import { sql } from "drizzle-orm";
import { getDb } from "@/db/client";
import { log } from "@/server/log";

export const dynamic = "force-dynamic";

/** Liveness for monitors: 200 when the database answers, 503 otherwise. No tenant data. */
export async function GET() {
  const started = performance.now();
  try {
    await getDb().execute(sql`select 1`);
    return Response.json(
      { status: "ok", database: "ok", latencyMs: Math.round(performance.now() - started) },
      { headers: { "Cache-Control": "no-store" } },
    );
  } catch (error) {
    log.error({ err: error }, "health check: database unavailable");
    return Response.json(
      { status: "error", database: "unavailable", error: { code: "unavailable:database" } },
      { status: 503, headers: { "Cache-Control": "no-store" } },
    );
  }
}
