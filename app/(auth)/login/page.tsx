import { redirect } from "next/navigation";
import { CredentialsLogin } from "@/components/auth/credentials-login";
import { LoginCard } from "@/components/auth/login-card";
import { currentUser } from "@/server/session";

export const metadata = { title: "Sign in · Ringbearer" };

/** Only same-site paths are accepted as a return address (no open redirect). */
function safeCallback(value: string | string[] | undefined): string {
  if (typeof value !== "string") return "/";
  try {
    const url = new URL(value, "http://local");
    return url.origin === "http://local" && url.pathname.startsWith("/")
      ? `${url.pathname}${url.search}`
      : "/";
  } catch {
    return "/";
  }
}

export default async function LoginPage(props: PageProps<"/login">) {
  const sp = await props.searchParams;
  const callbackUrl = safeCallback(sp.callbackUrl);
  if (await currentUser()) redirect(callbackUrl);
  return (
    <main className="flex min-h-screen items-center justify-center bg-gray-50 p-6">
      <LoginCard>
        <CredentialsLogin callbackUrl={callbackUrl} />
      </LoginCard>
    </main>
  );
}
