import { describe, expect, it } from "vitest";
import { checkOrigin, requestHost } from "@/lib/http/origin-check";
import {
  API_CSP,
  HSTS,
  newNonce,
  pageCsp,
  referrerPolicyFor,
  STATIC_HEADERS,
  securityHeaders,
  servedOverHttps,
} from "@/lib/http/security-headers";

/** next.config.mjs has no types; only its headers matter here. */
type HeaderRules = { source: string; headers: { key: string; value: string }[] }[];
const configUrl = new URL("../../next.config.mjs", import.meta.url).href;
const nextConfig = (
  (await import(/* @vite-ignore */ configUrl)) as { default: { headers(): Promise<HeaderRules> } }
).default;

const directive = (csp: string, name: string) =>
  csp
    .split(";")
    .map((d) => d.trim())
    .find((d) => d.startsWith(`${name} `));

describe("content security policy", () => {
  it("lets scripts run only with the response's nonce, never inline or through eval in production", () => {
    const csp = pageCsp({ nonce: "abc123==", dev: false, https: false });
    expect(directive(csp, "script-src")).toBe("script-src 'nonce-abc123==' 'strict-dynamic'");
    expect(directive(csp, "style-src")).toBe("style-src 'self' 'nonce-abc123=='");
    expect(directive(csp, "style-src-attr")).toBe("style-src-attr 'unsafe-inline'");
    for (const d of ["object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'", "form-action 'self'"])
      expect(csp).toContain(d);
    expect(directive(csp, "img-src")).toBe("img-src 'self' data:");
    expect(directive(csp, "connect-src")).toBe("connect-src 'self'");
    expect(csp).not.toContain("upgrade-insecure-requests");
  });

  it("adds eval only in development, and upgrades insecure requests only over https", () => {
    const dev = pageCsp({ nonce: "n", dev: true, https: false });
    expect(directive(dev, "script-src")).toBe("script-src 'nonce-n' 'strict-dynamic' 'unsafe-eval'");
    expect(pageCsp({ nonce: "n", dev: false, https: true })).toContain("upgrade-insecure-requests");
  });

  it("makes a different 128-bit nonce each time", () => {
    const nonces = new Set(Array.from({ length: 50 }, newNonce));
    expect(nonces.size).toBe(50);
    for (const n of nonces) expect(Buffer.from(n, "base64")).toHaveLength(16);
  });
});

describe("security headers", () => {
  it("gives API answers the strict policy and pages theirs", () => {
    expect(securityHeaders({ pathname: "/api/health", https: false })["Content-Security-Policy"]).toBe(
      API_CSP,
    );
    const csp = pageCsp({ nonce: "n", dev: false, https: false });
    expect(securityHeaders({ pathname: "/login", https: false, csp })["Content-Security-Policy"]).toBe(csp);
  });

  it("sends HSTS only over https", () => {
    expect(securityHeaders({ pathname: "/", https: false })).not.toHaveProperty("Strict-Transport-Security");
    expect(securityHeaders({ pathname: "/", https: true })["Strict-Transport-Security"]).toBe(HSTS);
  });

  it("keeps the Referer on the console's own origin, and sends none from the invitation page", () => {
    expect(referrerPolicyFor("/o/demo/variables")).toBe("same-origin");
    expect(referrerPolicyFor("/invite/abc")).toBe("no-referrer");
  });

  it("next.config.mjs applies the same static headers to the build's files", async () => {
    const rules = await nextConfig.headers();
    const all = Object.fromEntries(rules[0].headers.map((h) => [h.key, h.value]));
    expect(all).toEqual({ ...STATIC_HEADERS, "Referrer-Policy": referrerPolicyFor("/") });
    expect(rules[1]).toEqual({
      source: "/invite/:path*",
      headers: [{ key: "Referrer-Policy", value: referrerPolicyFor("/invite/x") }],
    });
  });
});

describe("https detection", () => {
  it("believes the public URL, and X-Forwarded-Proto only from trusted proxies", () => {
    const base = { forwardedProto: null, trustForwarded: false };
    expect(servedOverHttps({ ...base, publicUrl: "https://console.example" })).toBe(true);
    expect(servedOverHttps({ ...base, publicUrl: "http://localhost:3000" })).toBe(false);
    expect(servedOverHttps({ ...base, publicUrl: undefined })).toBe(false);
    const forwarded = { publicUrl: "http://localhost:3000", forwardedProto: "https" };
    expect(servedOverHttps({ ...forwarded, trustForwarded: false })).toBe(false);
    expect(servedOverHttps({ ...forwarded, trustForwarded: true })).toBe(true);
    expect(servedOverHttps({ ...forwarded, forwardedProto: "https, http", trustForwarded: true })).toBe(true);
    expect(servedOverHttps({ ...forwarded, forwardedProto: "http", trustForwarded: true })).toBe(false);
  });
});

describe("origin check", () => {
  const page = { isApi: false, host: "console.example" };

  it("lets reads through whatever their origin", () => {
    expect(checkOrigin({ ...page, method: "GET", origin: "https://evil.example" })).toEqual({ ok: true });
    expect(checkOrigin({ ...page, method: "HEAD", origin: null })).toEqual({ ok: true });
  });

  it("accepts a write from the console's own origin, default ports and case aside", () => {
    expect(checkOrigin({ ...page, method: "POST", origin: "https://console.example" }).ok).toBe(true);
    expect(checkOrigin({ ...page, method: "post", origin: "https://Console.Example" }).ok).toBe(true);
    expect(
      checkOrigin({ ...page, method: "POST", host: "console.example:443", origin: "https://console.example" })
        .ok,
    ).toBe(true);
    expect(
      checkOrigin({ isApi: false, host: "localhost:3150", method: "POST", origin: "http://localhost:3150" })
        .ok,
    ).toBe(true);
  });

  it("refuses a page write from another origin, port, or none", () => {
    const refused = (origin: string | null, method = "POST") => checkOrigin({ ...page, method, origin });
    expect(refused("https://evil.example")).toEqual({ ok: false, reason: "origin_mismatch" });
    expect(refused("https://console.example:8443")).toEqual({ ok: false, reason: "origin_mismatch" });
    expect(refused("https://console.example.evil.example")).toEqual({ ok: false, reason: "origin_mismatch" });
    expect(refused("null")).toEqual({ ok: false, reason: "missing_origin" });
    expect(refused(null)).toEqual({ ok: false, reason: "missing_origin" });
    expect(refused("not a url")).toEqual({ ok: false, reason: "origin_mismatch" });
    expect(refused("file:///etc/passwd")).toEqual({ ok: false, reason: "origin_mismatch" });
    expect(refused("https://evil.example", "PUT")).toMatchObject({ ok: false });
    expect(refused("https://evil.example", "DELETE")).toMatchObject({ ok: false });
    expect(checkOrigin({ ...page, host: null, method: "POST", origin: "https://console.example" }).ok).toBe(
      false,
    );
    expect(
      checkOrigin({ ...page, host: "console.example/x", method: "POST", origin: "https://console.example" })
        .ok,
    ).toBe(false);
  });

  it("lets scripts without an Origin reach the API's own authentication, but not a browser from elsewhere", () => {
    const api = { isApi: true, host: "console.example", method: "POST" };
    expect(checkOrigin({ ...api, origin: null }).ok).toBe(true);
    expect(checkOrigin({ ...api, origin: "https://console.example" }).ok).toBe(true);
    expect(checkOrigin({ ...api, origin: "https://evil.example" }).ok).toBe(false);
    expect(checkOrigin({ ...api, origin: "null" }).ok).toBe(false);
  });

  it("believes X-Forwarded-Host only when proxies are trusted", () => {
    const input = { host: "127.0.0.1:3000", forwardedHost: "evil.example, proxy.internal" };
    expect(requestHost({ ...input, trustForwarded: false })).toBe("127.0.0.1:3000");
    expect(requestHost({ ...input, trustForwarded: true })).toBe("evil.example");
    expect(requestHost({ host: "a", forwardedHost: null, trustForwarded: true })).toBe("a");
    expect(requestHost({ host: "a", forwardedHost: " ", trustForwarded: true })).toBe("a");
  });
});
