import type { Metadata } from "next";
import { connection } from "next/server";
import { Suspense } from "react";
import { TitleGuard } from "@/components/ui/title-guard";
import "./globals.css";

// Each page names itself ("Variables · Demo Weddings Ltd — Ringbearer"): the organization's layout adds its
// name, this template the product's. The icon is app/icon.svg.
export const metadata: Metadata = {
  title: { default: "Ringbearer", template: "%s — Ringbearer" },
  description: "Environment variables and secrets, encrypted, audited and locked during wedding hours.",
};

export default async function RootLayout({ children }: { children: React.ReactNode }) {
  // Every page is rendered per request: Next puts the request's CSP nonce (proxy.ts) on its scripts, which
  // a page prerendered at build time could not carry (its scripts would be blocked).
  await connection();
  return (
    <html lang="en">
      <body>
        {children}
        <Suspense fallback={null}>
          <TitleGuard />
        </Suspense>
      </body>
    </html>
  );
}
