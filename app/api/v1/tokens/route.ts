import { listServiceTokens } from "@/db/repos/service-tokens";
import { serviceTokenInput } from "@/lib/validation/tokens";
import { personRoute } from "@/server/entry/person-route";
import { createServiceToken } from "@/server/tokens/service-tokens";

export const dynamic = "force-dynamic";

/**
 * A signed-in person creates a service token: `{"name", "environments": ["staging"], "access": "read" |
 * "read-write", "expiresInDays"}` → 201 with the token, the only time it is shown (docs/api.md).
 */
export const POST = personRoute({
  capability: "tokens:manage",
  body: serviceTokenInput,
  run: async ({ tx, ctx, body }) => {
    const created = await createServiceToken(tx, ctx, body);
    return Response.json(
      {
        id: created.id,
        token: created.token,
        name: body.name,
        environments: created.environments,
        access: body.access,
        expiresAt: created.expiresAt.toISOString(),
      },
      { status: 201, headers: { "Cache-Control": "no-store" } },
    );
  },
});

/** The organization's tokens (never the tokens themselves): scope, expiry, last use. */
export const GET = personRoute({
  capability: "tokens:manage",
  run: async ({ ctx }) => {
    const tokens = await listServiceTokens(ctx);
    return Response.json({ tokens }, { headers: { "Cache-Control": "no-store" } });
  },
});
