"use client";

import { ShownOnce } from "@/components/ui/shown-once";
import { formatInZone } from "@/lib/format";

/** The one-time display of an invitation link, with a copy button (the link is never shown again). */
export function InviteLink({
  email,
  role,
  expiresAt,
  link,
  timeZone,
}: {
  email: string;
  role: string;
  expiresAt: string;
  link: string;
  timeZone: string;
}) {
  return (
    <ShownOnce region="Invite link" label="Invitation link" noun="link" value={link}>
      Invitation for <strong>{email}</strong> as {role.replace("_", " ")}, valid until{" "}
      {formatInZone(new Date(expiresAt), timeZone)}. Copy the link now and send it to them: it is shown only
      once.
    </ShownOnce>
  );
}
