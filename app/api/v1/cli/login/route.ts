import { LOGIN_MINUTES } from "@/lib/cli-login";
import { cliLoginStartInput } from "@/lib/validation/tokens";
import { publicOrigin } from "@/server/access/invitation-requests";
import { publicApiRoute } from "@/server/entry/api-route";
import { startCliLogin } from "@/server/tokens/cli-login";

export const dynamic = "force-dynamic";

/**
 * POST /api/v1/cli/login — `ringbearer login` begins (RFC 8628 device authorization): the device code the CLI
 * keeps, the user code it shows, and where the person approves it. 10 per address in 15 minutes.
 */
export const POST = publicApiRoute({
  capability: "public",
  body: cliLoginStartInput,
  run: async ({ request, ip, body }) => {
    const started = await startCliLogin({
      client: body.client ?? "ringbearer CLI",
      ip,
      userAgent: request.headers.get("user-agent") ?? undefined,
    });
    const verificationUri = `${await publicOrigin()}/cli-login`;
    return Response.json(
      {
        deviceCode: started.deviceCode,
        userCode: started.userCode,
        verificationUri,
        verificationUriComplete: `${verificationUri}?code=${started.userCode}`,
        expiresIn: LOGIN_MINUTES * 60,
        interval: started.interval,
      },
      { headers: { "Cache-Control": "no-store" } },
    );
  },
});
