import { AppError } from "@/lib/errors";
import { dataKeyId } from "@/lib/validation/keys";
import { personRoute } from "@/server/entry/person-route";
import { revokeKey } from "@/server/keys/rotation";

export const dynamic = "force-dynamic";

/**
 * Revokes a deprecated data-key version (keys:manage): it never decrypts again. 200 `{keyId, version}`; 404 for
 * no data key of this organization by that id (not an id at all included); 409 `conflict` while it is active,
 * rotating or still encrypts something, or is revoked already.
 */
export const POST = personRoute({
  capability: "keys:manage",
  run: async ({ tx, ctx, params }) => {
    const keyId = dataKeyId.safeParse(params.id);
    if (!keyId.success) throw new AppError("not_found");
    const revoked = await revokeKey(tx, ctx, { keyId: keyId.data });
    return Response.json(revoked, { headers: { "Cache-Control": "no-store" } });
  },
});
