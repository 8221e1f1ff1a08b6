import { ConsoleNav } from "./console-nav";

type Props = {
  orgSlug: string;
  orgName: string;
  userSlot: React.ReactNode;
  bannerSlot?: React.ReactNode;
  /** Change requests and emergency changes waiting for this reviewer (shown on Approvals). */
  waiting?: { requests: number; reviews: number };
  /** Unresolved drift, and how much of it is critical (shown on Drift). */
  drift?: { open: number; critical: number };
  children: React.ReactNode;
};

/**
 * The console's frame: a skip link first, the navigation (a side bar from `md` up, a menu below it), the
 * user's bar, the banner of the moment, and the page in `<main id="main">`.
 */
export function ConsoleShell({ orgSlug, orgName, userSlot, bannerSlot, waiting, drift, children }: Props) {
  return (
    <div className="min-h-screen md:flex">
      <a
        href="#main"
        className="sr-only focus:not-sr-only focus:fixed focus:left-2 focus:top-2 focus:z-50 focus:rounded-md focus:bg-white focus:px-3 focus:py-2 focus:text-sm focus:font-medium focus:text-indigo-800 focus:shadow-lg focus:outline-none focus:ring-2 focus:ring-indigo-500"
      >
        Skip to main content
      </a>
      <ConsoleNav orgSlug={orgSlug} orgName={orgName} waiting={waiting} drift={drift} />
      <div className="flex min-w-0 flex-1 flex-col">
        <header className="flex items-center justify-end border-b border-gray-200 bg-white px-4 py-3 md:px-6">
          {userSlot}
        </header>
        {bannerSlot}
        <main id="main" tabIndex={-1} className="min-w-0 flex-1 px-4 py-6 focus:outline-none md:px-6">
          {children}
        </main>
      </div>
    </div>
  );
}
