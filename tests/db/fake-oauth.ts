import { createHash } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";

/**
 * A local fake of an OAuth 2.0 provider shaped like Stripe Connect, with Stripe's balance endpoint behind it:
 * `GET /oauth/authorize` approves at once (302 back to the redirect URI with a code bound to the PKCE challenge),
 * `POST /oauth/token` exchanges a code (checking the client secret and the S256 verifier) or a refresh token
 * (rotating it), `POST /oauth/deauthorize` ends the account's grant, and `GET /v1/balance` answers 200 to a live
 * access token. `revokeAll()` forgets every token (as a provider does after a deauthorization).
 */
export async function startFakeOauth(app: { clientId: string; clientSecret: string }) {
  const codes = new Map<string, { challenge: string; redirectUri: string }>();
  const access = new Set<string>();
  const refresh = new Set<string>();
  const seen: { path: string; grant?: string }[] = [];
  let n = 0;
  const issue = () => {
    n += 1;
    const tokens = { access_token: `at-${n}`, refresh_token: `rt-${n}` };
    access.add(tokens.access_token);
    refresh.add(tokens.refresh_token);
    return tokens;
  };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const url = new URL(req.url ?? "/", "http://fake");
      const form = new URLSearchParams(Buffer.concat(chunks).toString("utf8"));
      const json = (status: number, body: unknown) => {
        res.writeHead(status, { "content-type": "application/json" });
        res.end(JSON.stringify(body));
      };
      seen.push({ path: url.pathname, grant: form.get("grant_type") ?? undefined });
      if (req.method === "GET" && url.pathname === "/oauth/authorize") {
        const code = `code-${codes.size + 1}`;
        const redirectUri = url.searchParams.get("redirect_uri") ?? "";
        codes.set(code, { challenge: url.searchParams.get("code_challenge") ?? "", redirectUri });
        const back = new URL(redirectUri);
        back.searchParams.set("code", code);
        back.searchParams.set("state", url.searchParams.get("state") ?? "");
        res.writeHead(302, { location: back.toString() });
        return res.end();
      }
      if (req.method === "POST" && url.pathname === "/oauth/token") {
        if (form.get("client_id") !== app.clientId || form.get("client_secret") !== app.clientSecret)
          return json(401, { error: "invalid_client" });
        if (form.get("grant_type") === "authorization_code") {
          const pending = codes.get(form.get("code") ?? "");
          codes.delete(form.get("code") ?? "");
          const verifier = form.get("code_verifier") ?? "";
          const challenge = createHash("sha256").update(verifier).digest("base64url");
          if (!pending || pending.challenge !== challenge || pending.redirectUri !== form.get("redirect_uri"))
            return json(400, { error: "invalid_grant", error_description: "The code is not valid" });
          return json(200, {
            ...issue(),
            token_type: "bearer",
            expires_in: 3600,
            scope: "read_write",
            stripe_user_id: "acct_fake_connected",
            livemode: false,
          });
        }
        if (form.get("grant_type") === "refresh_token") {
          const given = form.get("refresh_token") ?? "";
          if (!refresh.delete(given))
            return json(400, { error: "invalid_grant", error_description: "Revoked" });
          return json(200, { ...issue(), token_type: "bearer", expires_in: 3600 });
        }
        return json(400, { error: "unsupported_grant_type" });
      }
      if (req.method === "POST" && url.pathname === "/oauth/deauthorize") {
        if (req.headers.authorization !== `Bearer ${app.clientSecret}`)
          return json(401, { error: "invalid_client" });
        access.clear();
        refresh.clear();
        return json(200, { stripe_user_id: form.get("stripe_user_id") });
      }
      if (req.method === "GET" && url.pathname === "/v1/balance") {
        const token = String(req.headers.authorization ?? "").replace(/^Bearer /, "");
        return access.has(token)
          ? json(200, { object: "balance" })
          : json(401, { error: { message: "Expired" } });
      }
      json(404, { error: "not_found" });
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    seen,
    /** What a browser does at the authorization page: follow it, and read where the provider sends it back. */
    approve: async (authorizeUrl: string) => {
      const answer = await fetch(authorizeUrl, { redirect: "manual" });
      return new URL(answer.headers.get("location") ?? "").searchParams;
    },
    revokeAll: () => {
      access.clear();
      refresh.clear();
    },
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}
