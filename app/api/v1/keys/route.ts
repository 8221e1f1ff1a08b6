import { personRoute } from "@/server/entry/person-route";
import { keysOverview } from "@/server/keys/key-reads";

export const dynamic = "force-dynamic";

/**
 * The organization's encryption keys (keys:read: owners, admins, security reviewers): every key version and its
 * status, never key material; the key settings; the latest rotation with its live progress; the ones before.
 */
export const GET = personRoute({
  capability: "keys:read",
  run: async ({ tx, ctx }) =>
    Response.json(await keysOverview(tx, ctx), { headers: { "Cache-Control": "no-store" } }),
});
