import type { Metadata } from "next";
import "./globals.css";

export const metadata: Metadata = {
  title: "Ringbearer",
  description: "Environment variables and secrets, encrypted, audited and locked during wedding hours.",
};

export default function RootLayout({ children }: { children: React.ReactNode }) {
  return (
    <html lang="en">
      <body>{children}</body>
    </html>
  );
}
