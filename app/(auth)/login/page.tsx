import { redirect } from "next/navigation";
import { CredentialsLogin } from "@/components/auth/credentials-login";
import { LoginCard } from "@/components/auth/login-card";
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
  if (await currentUser()) redirect(callbackUrl);
  return (
    <main className="flex min-h-screen items-center justify-center bg-gray-50 p-6">
      <LoginCard>
        <CredentialsLogin callbackUrl={callbackUrl} />
      </LoginCard>
    </main>
  );
}
