import { cliLoginPollInput } from "@/lib/validation/tokens";
import { publicApiRoute } from "@/server/entry/api-route";
import { pollLogin } from "@/server/tokens/cli-login";

export const dynamic = "force-dynamic";

/**
 * POST /api/v1/cli/login/token — the CLI polls with its device code: `{"status": "pending" | "denied" | "expired"}`,
 * or once approved `{"status": "approved", "token", "organization", "environments", "access", "expiresAt"}` (the
 * only time the token is shown). Polling sooner than the interval is 429 with Retry-After.
 */
export const POST = publicApiRoute({
  capability: "public",
  body: cliLoginPollInput,
  run: async ({ body }) => {
    const polled = await pollLogin(body.deviceCode);
    return Response.json(
      polled.status === "approved" ? { ...polled, expiresAt: polled.expiresAt.toISOString() } : polled,
      { headers: { "Cache-Control": "no-store" } },
    );
  },
});
