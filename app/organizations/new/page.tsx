import Link from "next/link";
import { redirect } from "next/navigation";
import { NewOrganizationForm } from "@/components/organizations/new-organization-form";
import { currentUser } from "@/server/session";

export const metadata = { title: "New organization" };

/** A signed-in user adds an organization they own (from the header's organization menu). */
export default async function NewOrganizationPage() {
  const user = await currentUser();
  if (!user) redirect("/login?callbackUrl=/organizations/new");
  return (
    <main className="mx-auto max-w-lg space-y-4 p-6 md:p-10">
      <h1 className="text-xl font-semibold">New organization</h1>
      <p className="text-sm text-gray-700">
        You ({user.email}) will own it: its own environments, keys, members and wedding hours, separate from
        any other organization you belong to.
      </p>
      <NewOrganizationForm zones={["UTC", ...Intl.supportedValuesOf("timeZone")]} />
      <p className="text-sm">
        <Link href="/" className="text-indigo-700 underline">
          Back
        </Link>
      </p>
    </main>
  );
}
