import { redirect } from "next/navigation";
import { organizationsFor } from "@/db/repos/memberships";
import { currentUser } from "@/server/session";

export const metadata = { title: "CLI login" };

/**
 * Where `ringbearer login` sends a person (`/cli-login?code=WDJB-MJHT`): signed in, to their first organization's
 * approval page (they may switch there); signed out, to sign in first and come back.
 */
export default async function CliLoginEntry(props: PageProps<"/cli-login">) {
  const raw = (await props.searchParams).code;
  const code = typeof raw === "string" ? raw.replace(/[^A-Za-z -]/g, "").slice(0, 20) : "";
  const query = code ? `?code=${encodeURIComponent(code)}` : "";
  const user = await currentUser();
  if (!user) redirect(`/login?callbackUrl=${encodeURIComponent(`/cli-login${query}`)}`);
  const orgs = await organizationsFor(user.id);
  if (orgs.length === 0) redirect("/");
  redirect(`/o/${orgs[0].slug}/cli-login${query}`);
}
