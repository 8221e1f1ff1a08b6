import Link from "next/link";
import { redirect } from "next/navigation";
import { CredentialsLogin } from "@/components/auth/credentials-login";
import { LoginCard } from "@/components/auth/login-card";
import { AppError } from "@/lib/errors";
import { signupMode } from "@/lib/organizations";
import { safeCallbackPath } from "@/lib/safe-callback";
import { currentUser } from "@/server/session";

export const metadata = { title: "Sign in" };

export default async function LoginPage(props: PageProps<"/login">) {
  const sp = await props.searchParams;
  // Only a same-origin path is followed after signing in (no open redirect).
  const callbackUrl = safeCallbackPath(
    sp.callbackUrl,
    process.env.NEXTAUTH_URL ? [process.env.NEXTAUTH_URL] : [],
  );
  // A session that could not be checked (the database is down) is not a reason to fail the sign-in page.
  const user = await currentUser().catch((error: unknown) => {
    if (error instanceof AppError && error.code === "unavailable:database") return "unavailable" as const;
    throw error;
  });
  if (user && user !== "unavailable") redirect(callbackUrl);
  return (
    <main className="flex min-h-screen items-center justify-center bg-gray-50 p-6">
      <LoginCard>
        {user === "unavailable" && (
          <p role="status" className="mb-4 rounded-md bg-amber-50 p-3 text-sm text-amber-900">
            Database unavailable — Ringbearer cannot reach its database right now. Try again shortly.
          </p>
        )}
        {sp.erased === "1" && (
          <p role="status" className="mb-4 rounded-md bg-green-50 p-3 text-sm text-green-900">
            Your account was erased. Nothing of it can sign in any more.
          </p>
        )}
        <CredentialsLogin callbackUrl={callbackUrl} />
        {signupMode() === "open" ? (
          <p className="mt-4 text-sm text-gray-700">
            New here?{" "}
            <Link href="/signup" className="text-indigo-700 underline">
              Create an account
            </Link>
          </p>
        ) : null}
      </LoginCard>
    </main>
  );
}
