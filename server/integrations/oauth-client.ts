import * as oauth from "oauth4webapi";
import { AppError } from "@/lib/errors";
import { OAUTH_PROVIDERS, type OauthEndpoints, oauthEndpoints } from "@/lib/integrations/oauth";
import type { Platform } from "@/lib/integrations/platforms";
import { guardedFetch, type Transport } from "@/lib/net/guarded-fetch";
import { outboundAllowlist } from "@/server/outbound";

/**
 * The console's OAuth client (oauth4webapi): token requests for an authorization code and a refresh, and the
 * providers' revocations — every request through the outbound policy (public addresses only unless opened, no
 * redirects, 10 s). A provider's refusal is a field error with its OAuth error code, never a token.
 */

/** The operator's base address for a platform's OAuth endpoints (RINGBEARER_STRIPE_OAUTH_URL…), if any. */
export function endpointsOf(platform: Platform, env: NodeJS.ProcessEnv = process.env): OauthEndpoints {
  return oauthEndpoints(platform, env[`RINGBEARER_${platform.toUpperCase()}_OAUTH_URL`] || undefined);
}

export type OauthApp = { platform: Platform; clientId: string; clientSecret: string; transport?: Transport };

function parts(app: OauthApp) {
  const endpoints = endpointsOf(app.platform);
  const as: oauth.AuthorizationServer = {
    issuer: new URL(endpoints.token).origin,
    authorization_endpoint: endpoints.authorize,
    token_endpoint: endpoints.token,
    ...(endpoints.revoke ? { revocation_endpoint: endpoints.revoke } : {}),
  };
  const client: oauth.Client = { client_id: app.clientId };
  const auth =
    OAUTH_PROVIDERS[app.platform].clientAuth === "basic"
      ? oauth.ClientSecretBasic(app.clientSecret)
      : oauth.ClientSecretPost(app.clientSecret);
  const transport = app.transport ?? guardedFetch(outboundAllowlist());
  const options = {
    // Plain http reaches only a host the operator opened (the outbound policy decides, at connect time).
    [oauth.allowInsecureRequests]: true,
    [oauth.customFetch]: (url: string, init: oauth.CustomFetchOptions<"POST", URLSearchParams>) =>
      transport(new URL(url), {
        method: init.method,
        headers: Object.fromEntries(new Headers(init.headers)),
        body: init.body === undefined ? undefined : String(init.body),
        signal: init.signal ?? AbortSignal.timeout(10_000),
        redirect: "manual",
      }),
  };
  return { endpoints, as, client, auth, options, transport };
}

/** The provider's refusal (an OAuth error code and description), or a failure to reach it, as a field error. */
function refusal(error: unknown): AppError {
  if (error instanceof AppError) return error;
  if (error instanceof oauth.ResponseBodyError)
    return new AppError("validation", {
      form: [
        `The provider refused: ${error.error}${error.error_description ? ` (${error.error_description.slice(0, 200)})` : ""}`,
      ],
    });
  if (error instanceof oauth.AuthorizationResponseError)
    return new AppError("validation", { form: [`The provider refused: ${error.error}`] });
  return new AppError("validation", {
    form: ["The provider could not be reached, or answered something unexpected"],
  });
}

/** Exchanges the callback's code (with the PKCE verifier) for tokens. */
export async function exchangeCode(
  app: OauthApp,
  callback: URLSearchParams,
  input: { state: string; redirectUri: string; verifier: string },
) {
  const { as, client, auth, options } = parts(app);
  try {
    const params = oauth.validateAuthResponse(as, client, callback, input.state);
    const response = await oauth.authorizationCodeGrantRequest(
      as,
      client,
      auth,
      params,
      input.redirectUri,
      input.verifier,
      options,
    );
    return await oauth.processAuthorizationCodeResponse(as, client, response);
  } catch (error) {
    throw refusal(error);
  }
}

/** A new access token (and, where the provider rotates it, a new refresh token) for a refresh token. */
export async function refreshGrant(app: OauthApp, refreshToken: string) {
  const { as, client, auth, options } = parts(app);
  try {
    const response = await oauth.refreshTokenGrantRequest(as, client, auth, refreshToken, options);
    return await oauth.processRefreshTokenResponse(as, client, response);
  } catch (error) {
    throw refusal(error);
  }
}

/**
 * Withdraws the grant at the provider: Stripe's deauthorize (the account), an RFC 7009 revocation (QuickBooks), or
 * HubSpot's refresh-token delete. Whether it worked is returned, not thrown: the console forgets the grant anyway.
 */
export async function revokeAtProvider(
  app: OauthApp,
  grant: { refreshToken?: string; accessToken?: string; stripeAccountId?: string | null },
): Promise<{ ok: boolean; status: number | null }> {
  const { endpoints, as, client, auth, options, transport } = parts(app);
  try {
    if (app.platform === "stripe") {
      if (!endpoints.revoke || !grant.stripeAccountId) return { ok: false, status: null };
      const body = new URLSearchParams({ client_id: app.clientId, stripe_user_id: grant.stripeAccountId });
      const response = await transport(new URL(endpoints.revoke), {
        method: "POST",
        headers: {
          authorization: `Bearer ${app.clientSecret}`,
          "content-type": "application/x-www-form-urlencoded",
        },
        body: body.toString(),
        signal: AbortSignal.timeout(10_000),
        redirect: "manual",
      });
      await response.body?.cancel().catch(() => {});
      return { ok: response.ok, status: response.status };
    }
    const token = grant.refreshToken ?? grant.accessToken;
    if (!token) return { ok: false, status: null };
    if (app.platform === "hubspot") {
      const url = new URL(
        endpoints.token.replace(/\/token$/, `/refresh-tokens/${encodeURIComponent(token)}`),
      );
      const response = await transport(url, {
        method: "DELETE",
        headers: {},
        signal: AbortSignal.timeout(10_000),
        redirect: "manual",
      });
      await response.body?.cancel().catch(() => {});
      return { ok: response.ok, status: response.status };
    }
    const response = await oauth.revocationRequest(as, client, auth, token, options);
    await oauth.processRevocationResponse(response);
    return { ok: true, status: response.status };
  } catch {
    return { ok: false, status: null };
  }
}
