import Link from "next/link";

/**
 * The header's organization menu: the organizations the user belongs to (the current one marked), and a way to
 * add one. A disclosure (`<details>`): no script, works by keyboard and on a phone.
 */
export function OrgSwitcher({ current, orgs }: { current: string; orgs: { slug: string; name: string }[] }) {
  return (
    <details className="relative">
      <summary className="cursor-pointer list-none rounded-md px-2 py-1 text-indigo-700 hover:bg-gray-100">
        Organizations <span aria-hidden="true">▾</span>
      </summary>
      <nav
        aria-label="Organizations"
        className="absolute right-0 z-30 mt-1 w-64 max-w-[80vw] rounded-md border border-gray-200 bg-white p-2 shadow-lg"
      >
        <ul className="space-y-1">
          {orgs.map((o) => (
            <li key={o.slug}>
              <Link
                href={`/o/${o.slug}`}
                aria-current={o.slug === current ? "page" : undefined}
                className="block break-words rounded px-2 py-1 hover:bg-gray-100 aria-[current=page]:font-semibold"
              >
                {o.name}
              </Link>
            </li>
          ))}
        </ul>
        <Link
          href="/organizations/new"
          className="mt-2 block border-t border-gray-200 px-2 pt-2 text-indigo-700 underline"
        >
          New organization
        </Link>
        <Link href="/organizations/deleted" className="block px-2 pt-1 text-indigo-700 underline">
          Deleted organizations
        </Link>
      </nav>
    </details>
  );
}
