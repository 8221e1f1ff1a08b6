import { stateOrganization } from "@/lib/integrations/oauth";
import { orgRoute } from "@/server/entry/route";
import { completeOauth } from "@/server/integrations/oauth";

export const dynamic = "force-dynamic";

/**
 * GET /api/v1/integrations/oauth/callback?code&state — where a provider sends the person back after they allowed
 * (or refused) the console's access. The state names the organization; the person must be signed in, a member
 * who may manage integrations, and the one who started this connection. Then back to the config's page, with
 * `?oauth=connected` or the refusal in words (never a token).
 */
export const GET = orgRoute({
  capability: "integrations:manage",
  org: (request) => stateOrganization(new URL(request.url).searchParams.get("state") ?? "") ?? "",
  omit: ["code", "state", "scope", "realmId", "error", "error_description", "iss"],
  run: async ({ request, member }) => {
    const url = new URL(request.url);
    const back = (path: string, note: Record<string, string>) =>
      Response.redirect(
        new URL(`/o/${member.org.slug}/integrations${path}?${new URLSearchParams(note)}`, url),
        303,
      );
    try {
      const { configId } = await completeOauth(member, url.searchParams);
      return back(`/${configId}`, { oauth: "connected" });
    } catch (error) {
      const words = (error as { fieldErrors?: Record<string, string[]> }).fieldErrors;
      const message = Object.values(words ?? {})[0]?.[0] ?? "The connection could not be completed";
      return back("", { oauth: "failed", reason: message.slice(0, 200) });
    }
  },
});
