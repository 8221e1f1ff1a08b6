import { SidebarNav } from "./sidebar-nav";

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

export function ConsoleShell({ orgSlug, orgName, userSlot, bannerSlot, waiting, drift, children }: Props) {
  return (
    <div className="flex min-h-screen">
      <aside className="w-56 shrink-0 bg-gray-900 px-3 py-5 text-white">
        <p className="px-3 text-lg font-semibold tracking-tight">Ringbearer</p>
        <p className="mb-6 px-3 text-xs text-gray-400">{orgName}</p>
        <SidebarNav orgSlug={orgSlug} waiting={waiting} drift={drift} />
      </aside>
      <div className="flex min-w-0 flex-1 flex-col">
        <header className="flex items-center justify-end border-b border-gray-200 bg-white px-6 py-3">
          {userSlot}
        </header>
        {bannerSlot}
        <main className="flex-1 px-6 py-6">{children}</main>
      </div>
    </div>
  );
}
