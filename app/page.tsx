import Link from "next/link";
import { redirect } from "next/navigation";
import { AccountData } from "@/components/account/account-data";
import { organizationsFor } from "@/db/repos/memberships";
import { checkOperator } from "@/server/ops/operators";
import { currentUser } from "@/server/session";

export const metadata = { title: "No organization yet" };

/** Home: the signed-in user's first organization. */
export default async function Home() {
  const user = await currentUser();
  if (!user) redirect("/login");
  const orgs = await organizationsFor(user.id);
  if (orgs.length > 0) redirect(`/o/${orgs[0].slug}`);
  // An operator who belongs to no organization has the operator console.
  if (await checkOperator({ userId: user.id })) redirect("/ops");
  return (
    <main className="mx-auto max-w-lg p-10">
      <h1 className="text-xl font-semibold">No organization yet</h1>
      <p className="mt-2 text-sm text-gray-600">
        You are signed in as {user.email}, but you are not a member of any organization. Ask an admin to
        invite you, or{" "}
        <Link href="/organizations/new" className="text-indigo-700 underline">
          create an organization
        </Link>
        .
      </p>
      <div className="mt-8 space-y-6">
        <AccountData />
      </div>
    </main>
  );
}
