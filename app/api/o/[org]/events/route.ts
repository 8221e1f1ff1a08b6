import { orgRoute } from "@/server/entry/route";
import { liveStream } from "@/server/live-stream";

export const dynamic = "force-dynamic";

/**
 * GET /api/o/{org}/events — Server-Sent Events for the organization's members: `change` events naming what
 * changed (values, audit) and counts, never a value (server/live-stream.ts).
 */
export const GET = orgRoute({
  capability: "metadata:read",
  run: async ({ request, member }) => liveStream(request, (event) => event.org === member.organizationId),
});
