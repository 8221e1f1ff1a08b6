"use client";

import { useRef, useState } from "react";
import { Button } from "@/components/ui/button";
import { controlClass } from "@/components/ui/input";
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
  const input = useRef<HTMLInputElement>(null);
  const [copied, setCopied] = useState<"yes" | "no" | null>(null);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(link);
      setCopied("yes");
    } catch {
      input.current?.select();
      setCopied("no");
    }
  };
  return (
    <section
      aria-label="Invite link"
      className="space-y-2 rounded-md border border-green-200 bg-green-50 p-4 text-sm text-green-900"
    >
      <p role="status">
        Invitation for <strong>{email}</strong> as {role.replace("_", " ")}, valid until{" "}
        {formatInZone(new Date(expiresAt), timeZone)}. Copy the link now and send it to them: it is shown only
        once.
      </p>
      <div className="flex gap-2">
        <input
          ref={input}
          readOnly
          value={link}
          aria-label="Invitation link"
          className={`${controlClass} font-mono text-xs`}
          onFocus={(ev) => ev.currentTarget.select()}
        />
        <Button type="button" variant="secondary" className="shrink-0 whitespace-nowrap" onClick={copy}>
          Copy link
        </Button>
      </div>
      {copied === "yes" ? <p>Copied.</p> : null}
      {copied === "no" ? <p>The link is selected: press Ctrl+C (⌘C) to copy it.</p> : null}
    </section>
  );
}
