import type { Metadata } from "next";
import Link from "next/link";
import { InviteSignOut } from "@/components/invitations/invite-sign-out";
import { JoinButton } from "@/components/invitations/join-button";
import { PasswordAcceptForm } from "@/components/invitations/password-accept-form";
import { organizationsFor } from "@/db/repos/memberships";
import { formatInZone } from "@/lib/format";
import { INVITATION_GONE } from "@/lib/invitations";
import { lookupInvitation } from "@/server/access/invitation-requests";
import { currentUser } from "@/server/session";

// The token is in this page's URL: never send it on as a Referer.
export const metadata: Metadata = { title: "Invitation", referrer: "no-referrer" };

function Card({ title, children }: { title: string; children: React.ReactNode }) {
  return (
    <main className="flex min-h-screen items-center justify-center bg-gray-50 p-6">
      <div className="w-full max-w-md space-y-4 rounded-lg border border-gray-200 bg-white p-6 shadow-sm">
        <p className="text-sm font-semibold tracking-tight text-gray-500">Ringbearer</p>
        <h1 className="text-xl font-semibold tracking-tight">{title}</h1>
        {children}
      </div>
    </main>
  );
}

const linkClass = "font-medium text-indigo-700 underline";

/**
 * The public invitation page (outside the console, reachable signed out): shows the organization and role,
 * then — depending on who is looking — Join, Sign in to accept, Create your account, or why not.
 */
export default async function InvitePage(props: PageProps<"/invite/[token]">) {
  const { token } = await props.params;
  const lookup = await lookupInvitation(token);
  if (lookup.kind === "rate_limited")
    return (
      <Card title="Too many attempts">
        <p className="text-sm text-gray-700">
          Too many invitation links that do not work came from your address. Wait 15 minutes, then open the
          link again.
        </p>
      </Card>
    );
  if (lookup.kind === "unknown")
    return (
      <Card title="Invitation not found">
        <p className="text-sm text-gray-700">{INVITATION_GONE.unknown}</p>
      </Card>
    );
  const inv = lookup.invitation;
  const user = await currentUser();
  const role = inv.role.replace("_", " ");
  const member = user
    ? (await organizationsFor(user.id)).some((o) => o.slug === inv.organizationSlug)
    : false;
  const open = (
    <Link className={linkClass} href={`/o/${inv.organizationSlug}`}>
      Open {inv.organizationName}
    </Link>
  );
  if (member && user?.email === inv.email)
    return (
      <Card title={`You are a member of ${inv.organizationName}`}>
        <p className="text-sm text-gray-700">You already joined; this invitation has nothing more to do.</p>
        <p className="text-sm">{open}</p>
      </Card>
    );
  if (inv.status !== "pending") {
    const reason = inv.status === "accepted" ? "used" : inv.status;
    const titles = {
      used: "Invitation already used",
      revoked: "Invitation withdrawn",
      expired: "Invitation expired",
    };
    return (
      <Card title={titles[reason]}>
        <p className="text-sm text-gray-700">{INVITATION_GONE[reason]}</p>
      </Card>
    );
  }
  const intro = (
    <p className="text-sm text-gray-700">
      You are invited to join <strong>{inv.organizationName}</strong> as <strong>{role}</strong>. The
      invitation is for <strong>{inv.email}</strong> and is valid until {formatInZone(inv.expiresAt, "UTC")}.
    </p>
  );
  if (user && user.email !== inv.email)
    return (
      <Card title={`Join ${inv.organizationName}`}>
        {intro}
        <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-800">
          This invitation is for {inv.email}; you are signed in as {user.email}. Sign out, then open the link
          again to accept it as {inv.email}.
        </p>
        <InviteSignOut token={token} />
      </Card>
    );
  if (user)
    return (
      <Card title={`Join ${inv.organizationName}`}>
        {intro}
        <JoinButton token={token} organization={inv.organizationName} />
      </Card>
    );
  return (
    <Card title={`Join ${inv.organizationName}`}>
      {intro}
      {/* The same page whether or not the email already has an account: nothing here tells which. */}
      <p className="text-sm text-gray-700">
        Choose a password to create your account, or enter your password if you already have one.
      </p>
      <PasswordAcceptForm token={token} email={inv.email} />
      <p className="text-sm text-gray-700">
        Two-factor authentication on your account?{" "}
        <Link className={linkClass} href={`/login?callbackUrl=${encodeURIComponent(`/invite/${token}`)}`}>
          Sign in to accept
        </Link>
      </p>
    </Card>
  );
}
