import Link from "next/link";
import { redirect } from "next/navigation";
import { SignUpForm } from "@/components/organizations/signup-form";
import { signupMode } from "@/lib/organizations";
import { SIGNUP_CLOSED } from "@/server/organizations/self-service";
import { currentUser } from "@/server/session";

export const metadata = { title: "Create an account" };

/** Open sign-up (RINGBEARER_SIGNUP=open): an account and the organization it owns. */
export default async function SignUpPage() {
  if (await currentUser().catch(() => null)) redirect("/organizations/new");
  const open = signupMode() === "open";
  return (
    <main className="flex min-h-screen items-center justify-center bg-gray-50 p-6">
      <div className="w-full max-w-sm rounded-lg border border-gray-200 bg-white p-6 shadow-sm">
        <h1 className="text-xl font-semibold tracking-tight">Create an account</h1>
        <p className="mb-6 mt-1 text-sm text-gray-600">
          An account, and an organization for your team's environment variables and secrets.
        </p>
        {open ? (
          <SignUpForm zones={["UTC", ...Intl.supportedValuesOf("timeZone")]} />
        ) : (
          <p>{SIGNUP_CLOSED}</p>
        )}
        <p className="mt-4 text-sm text-gray-700">
          Have an account?{" "}
          <Link href="/login" className="text-indigo-700 underline">
            Sign in
          </Link>
        </p>
      </div>
    </main>
  );
}
