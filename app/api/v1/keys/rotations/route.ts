import { after } from "next/server";
import { z } from "zod";
import { personRoute } from "@/server/entry/person-route";
import { startRotation } from "@/server/keys/rotation";
import { queueKeyRotation } from "@/server/keys/rotation-jobs";

export const dynamic = "force-dynamic";

/**
 * Starts a data-key rotation (keys:manage: owners and admins): a new data-key version takes new writes at once,
 * and the background job re-encrypts what the older ones seal. 201 with the rotation; 409 `conflict` while one
 * is running or paused. The body is `{}` and no parameter but `org` is taken: a request that is not exactly
 * that (no body, a form, `?dryRun=1`) is refused (422) rather than starting a rotation for real. The job is
 * queued once the answer is sent, so after the transaction that started the rotation committed (should that be
 * lost, the minute's tick queues every open rotation).
 */
export const POST = personRoute({
  capability: "keys:manage",
  body: z.strictObject({}),
  query: z.strictObject({}),
  run: async ({ tx, ctx }) => {
    const rotation = await startRotation(tx, ctx);
    after(() => queueKeyRotation(ctx.organizationId, rotation.id));
    return Response.json(
      {
        id: rotation.id,
        status: rotation.status,
        dataKeyId: rotation.dataKeyId,
        total: rotation.total,
        startedAt: rotation.startedAt,
      },
      { status: 201, headers: { "Cache-Control": "no-store" } },
    );
  },
});
