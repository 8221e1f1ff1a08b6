import type { Platform } from "./platforms";

/**
 * OAuth 2.0 authorization-code grants with PKCE and state (issue 15, seed 002 `oauth_tokens`): each platform's
 * endpoints, default scopes, how it authenticates the client, and what its token answer says about the account.
 * Pure: server/integrations/oauth.ts runs the flow with oauth4webapi.
 */
export type OauthEndpoints = { authorize: string; token: string; revoke: string | null };

type Provider = {
  /** The real endpoints. */
  endpoints: OauthEndpoints;
  /** Paths under an operator's base address (RINGBEARER_<PLATFORM>_OAUTH_URL: a proxy, or a test's fake). */
  paths: { authorize: string; token: string; revoke: string | null };
  scopes: string;
  /** How the token endpoint authenticates the client. */
  clientAuth: "post" | "basic";
};

export const OAUTH_PROVIDERS: Record<Platform, Provider> = {
  stripe: {
    endpoints: {
      authorize: "https://connect.stripe.com/oauth/authorize",
      token: "https://connect.stripe.com/oauth/token",
      revoke: "https://connect.stripe.com/oauth/deauthorize",
    },
    paths: { authorize: "/oauth/authorize", token: "/oauth/token", revoke: "/oauth/deauthorize" },
    scopes: "read_write",
    clientAuth: "post",
  },
  hubspot: {
    endpoints: {
      authorize: "https://app.hubspot.com/oauth/authorize",
      token: "https://api.hubapi.com/oauth/v1/token",
      revoke: null,
    },
    paths: { authorize: "/oauth/authorize", token: "/oauth/v1/token", revoke: null },
    scopes: "crm.objects.contacts.read crm.objects.companies.read crm.objects.deals.read",
    clientAuth: "post",
  },
  quickbooks: {
    endpoints: {
      authorize: "https://appcenter.intuit.com/connect/oauth2",
      token: "https://oauth.platform.intuit.com/oauth2/v1/tokens/bearer",
      revoke: "https://developer.api.intuit.com/v2/oauth2/tokens/revoke",
    },
    paths: {
      authorize: "/connect/oauth2",
      token: "/oauth2/v1/tokens/bearer",
      revoke: "/v2/oauth2/tokens/revoke",
    },
    scopes: "com.intuit.quickbooks.accounting",
    clientAuth: "basic",
  },
};

/** A platform's endpoints: the real ones, or under the operator's base address. */
export function oauthEndpoints(platform: Platform, base?: string): OauthEndpoints {
  const provider = OAUTH_PROVIDERS[platform];
  if (!base) return provider.endpoints;
  const at = (path: string) => base.replace(/\/+$/, "") + path;
  return {
    authorize: at(provider.paths.authorize),
    token: at(provider.paths.token),
    revoke: provider.paths.revoke ? at(provider.paths.revoke) : null,
  };
}

/** The provider's authorization page for one attempt (PKCE S256; the state names the organization first). */
export function authorizationUrl(
  platform: Platform,
  endpoints: OauthEndpoints,
  input: { clientId: string; redirectUri: string; state: string; codeChallenge: string; scopes?: string },
): URL {
  const url = new URL(endpoints.authorize);
  url.searchParams.set("response_type", "code");
  url.searchParams.set("client_id", input.clientId);
  url.searchParams.set("redirect_uri", input.redirectUri);
  url.searchParams.set("scope", input.scopes || OAUTH_PROVIDERS[platform].scopes);
  url.searchParams.set("state", input.state);
  url.searchParams.set("code_challenge", input.codeChallenge);
  url.searchParams.set("code_challenge_method", "S256");
  return url;
}

/** `<organization slug>~<random>`: the callback learns whose attempt it is before it looks the state up. */
export const stateFor = (slug: string, random: string) => `${slug}~${random}`;
export const stateOrganization = (state: string) => {
  const at = state.indexOf("~");
  return at > 0 ? state.slice(0, at) : null;
};

/** What a token answer (or the callback) tells about the account, for the connection row. Never a token. */
export function accountOf(platform: Platform, answer: Record<string, unknown>, callback: URLSearchParams) {
  const text = (v: unknown) =>
    typeof v === "string" || typeof v === "number" ? String(v).slice(0, 255) : null;
  if (platform === "stripe")
    return {
      stripeAccountId: text(answer.stripe_user_id),
      stripeUserId: text(answer.stripe_user_id),
      stripeLivemode: typeof answer.livemode === "boolean" ? answer.livemode : null,
    };
  if (platform === "hubspot")
    return {
      hubspotPortalId: text(answer.hub_id),
      hubspotUserId: text(answer.user_id),
      hubspotAppId: text(answer.app_id),
    };
  return { quickbooksRealmId: text(callback.get("realmId")) };
}

/** Refresh a grant when its access token has less than this left (the health check runs at least every 15 min). */
export const REFRESH_AHEAD_MS = 20 * 60_000;
