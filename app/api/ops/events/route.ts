import { opsRoute } from "@/server/entry/route";
import { liveStream } from "@/server/live-stream";

export const dynamic = "force-dynamic";

/**
 * GET /api/ops/events — Server-Sent Events for installation operators: a `change` event when alerts are raised,
 * cleared or acknowledged, so `/ops` reads again without a reload. No organization's events pass.
 */
export const GET = opsRoute({
  capability: "operator",
  run: async (request) => liveStream(request, (event) => event.org === "installation"),
});
