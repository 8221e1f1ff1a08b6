import Link from "next/link";
import { redirect } from "next/navigation";
import { SignOutButton } from "@/components/console/sign-out-button";
import { OpsLive } from "@/components/ops/ops-live";
import { PageHeader } from "@/components/ui/page-header";
import { currentOperator, currentUser } from "@/server/session";

export const metadata = { title: { default: "Operations", template: "%s · Operations — Ringbearer" } };

const TABS = [
  { href: "/ops", label: "Database" },
  { href: "/ops/tables", label: "Tables" },
  { href: "/ops/indexes", label: "Indexes" },
  { href: "/ops/integrity", label: "Integrity" },
  { href: "/ops/precheck", label: "Pre-check" },
  { href: "/ops/usage", label: "Usage" },
] as const;

/**
 * The operator console (issue 17): the installation's database, for installation operators only
 * (`npm run ops:grant`), whatever organizations they belong to. Times are UTC: it belongs to no organization.
 */
export default async function OpsLayout({ children }: LayoutProps<"/ops">) {
  const user = await currentUser();
  if (!user) redirect("/login");
  const operator = (await currentOperator()) !== null;
  return (
    <div className="min-h-screen">
      <a
        href="#main"
        className="sr-only focus:not-sr-only focus:fixed focus:left-2 focus:top-2 focus:z-50 focus:rounded-md focus:bg-white focus:px-3 focus:py-2 focus:text-sm focus:font-medium focus:text-indigo-800 focus:shadow-lg"
      >
        Skip to main content
      </a>
      <header className="flex flex-wrap items-center justify-between gap-3 border-b border-gray-200 bg-white px-4 py-3 md:px-6">
        <div className="flex flex-wrap items-center gap-4">
          <Link href="/" className="font-semibold text-indigo-800">
            Ringbearer
          </Link>
          {operator ? (
            <nav aria-label="Operations">
              <ul className="flex flex-wrap gap-3 text-sm">
                {TABS.map((t) => (
                  <li key={t.href}>
                    <Link href={t.href} className="text-gray-700 hover:text-indigo-700 hover:underline">
                      {t.label}
                    </Link>
                  </li>
                ))}
              </ul>
            </nav>
          ) : null}
        </div>
        <div className="flex flex-wrap items-center gap-3 text-sm">
          <span className="break-all text-gray-600">{user.email}</span>
          <SignOutButton />
        </div>
      </header>
      <main id="main" tabIndex={-1} className="min-w-0 px-4 py-6 focus:outline-none md:px-6">
        {operator ? (
          <>
            <OpsLive />
            {children}
          </>
        ) : (
          <div className="max-w-3xl space-y-3">
            <PageHeader title="Operations" />
            <p className="text-sm text-gray-600">
              This console is for the installation's operators. An operator is made with{" "}
              <code>npm run ops:grant -- EMAIL</code> on the server; organization roles do not give it.
            </p>
          </div>
        )}
      </main>
    </div>
  );
}
