import "server-only";
import { headers } from "next/headers";
import { getDb } from "@/db/client";
import { type InvitationView, invitationByToken } from "@/db/repos/invitations";
import { INVITATION_TOKEN } from "@/lib/invitations";
import { inviteLimit, isLimited, recordFailure } from "@/server/auth/rate-limits";
import { forwardingHeadersTrusted } from "@/server/client-info";
import { requestInfo } from "@/server/session";

/** The console's public origin for links: NEXTAUTH_URL, else the origin this request came to. */
export async function publicOrigin(): Promise<string> {
  if (process.env.NEXTAUTH_URL) return new URL(process.env.NEXTAUTH_URL).origin;
  const h = await headers();
  const forwarded = forwardingHeadersTrusted((name) => h.get(name));
  const host = (forwarded ? h.get("x-forwarded-host") : null) ?? h.get("host") ?? "localhost";
  const proto =
    (forwarded ? h.get("x-forwarded-proto") : null) ?? (host.startsWith("localhost") ? "http" : "https");
  return `${proto}://${host}`;
}

export type InvitationLookup =
  | { kind: "found"; invitation: InvitationView }
  | { kind: "unknown" }
  | { kind: "rate_limited" };

/**
 * Looks an invitation up by its token for the public page, rate-limited per address: malformed and unknown
 * tokens count as failures (the login_attempts counters, key `invite:<address>`); past the limit every lookup
 * from that address is refused until the window passes.
 */
export async function lookupInvitation(token: string): Promise<InvitationLookup> {
  const { ip } = await requestInfo();
  const limit = inviteLimit(ip);
  if (await isLimited(getDb(), limit)) return { kind: "rate_limited" };
  const invitation = INVITATION_TOKEN.test(token) ? await invitationByToken(token) : null;
  if (!invitation) {
    await recordFailure(getDb(), limit);
    return { kind: "unknown" };
  }
  return { kind: "found", invitation };
}
