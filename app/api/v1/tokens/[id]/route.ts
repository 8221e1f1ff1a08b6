import { z } from "zod";
import { AppError } from "@/lib/errors";
import { personRoute } from "@/server/entry/person-route";
import { revokeServiceToken } from "@/server/tokens/service-tokens";

export const dynamic = "force-dynamic";

/** Revokes a token at once: 204; 404 for no live token of this organization by that id. */
export const DELETE = personRoute({
  capability: "tokens:manage",
  run: async ({ tx, ctx, params }) => {
    const id = z.uuid().safeParse(params.id);
    if (!id.success) throw new AppError("not_found");
    await revokeServiceToken(tx, ctx, id.data);
    return new Response(null, { status: 204, headers: { "Cache-Control": "no-store" } });
  },
});
