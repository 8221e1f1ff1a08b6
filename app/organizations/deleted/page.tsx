import Link from "next/link";
import { redirect } from "next/navigation";
import { RestoreOrganizationButton } from "@/components/organizations/restore-organization-button";
import { formatDateTime } from "@/lib/format";
import { deletedOrganizations } from "@/server/organizations/deletion";
import { currentUser } from "@/server/session";

export const metadata = { title: "Deleted organizations" };

/** The organizations the signed-in owner deleted in the last 30 days, each with Restore. */
export default async function DeletedOrganizationsPage() {
  const user = await currentUser();
  if (!user) redirect("/login?callbackUrl=/organizations/deleted");
  const deleted = await deletedOrganizations({ userId: user.id });
  return (
    <main className="mx-auto max-w-2xl space-y-4 p-6 md:p-10">
      <h1 className="text-xl font-semibold">Deleted organizations</h1>
      <p className="text-sm text-gray-700">
        Organizations you own that were deleted. Nobody can read them; restore one within 30 days of its
        deletion, after which every row of it is removed for good.
      </p>
      {deleted.length === 0 ? (
        <p className="text-sm text-gray-600">None.</p>
      ) : (
        <ul className="space-y-3" aria-label="Deleted organizations">
          {deleted.map((o) => (
            <li
              key={o.id}
              className="flex flex-wrap items-center justify-between gap-3 rounded-md border p-3"
            >
              <div className="min-w-0 text-sm">
                <p className="break-words font-medium">{o.name}</p>
                <p className="text-gray-600">
                  Deleted {formatDateTime(o.deletedAt, "UTC", { zone: true })}; removed for good after{" "}
                  {formatDateTime(o.purgeAfter, "UTC", { zone: true })}.
                </p>
              </div>
              <RestoreOrganizationButton id={o.id} slug={o.slug} name={o.name} />
            </li>
          ))}
        </ul>
      )}
      <p className="text-sm">
        <Link href="/" className="text-indigo-700 underline">
          Back
        </Link>
      </p>
    </main>
  );
}
