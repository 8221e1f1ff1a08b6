"use client";

import { type ReactNode, useRef, useState } from "react";
import { Button } from "./button";
import { controlClass } from "./input";

/**
 * A secret shown once (an invitation link, a service token), read-only with a copy button; `children` says
 * what it is and that it will not be shown again.
 */
export function ShownOnce({
  region,
  label,
  noun,
  value,
  children,
}: {
  /** The region's accessible name, e.g. "Invite link". */
  region: string;
  /** The field's accessible name, e.g. "Invitation link". */
  label: string;
  /** What it is, in a word: "link", "token". */
  noun: string;
  value: string;
  children: ReactNode;
}) {
  const input = useRef<HTMLInputElement>(null);
  const [copied, setCopied] = useState<"yes" | "no" | null>(null);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(value);
      setCopied("yes");
    } catch {
      input.current?.select();
      setCopied("no");
    }
  };
  return (
    <section
      aria-label={region}
      className="space-y-2 rounded-md border border-green-200 bg-green-50 p-4 text-sm text-green-900"
    >
      <p role="status">{children}</p>
      <div className="flex gap-2">
        <input
          ref={input}
          readOnly
          value={value}
          aria-label={label}
          className={`${controlClass} font-mono text-xs`}
          onFocus={(ev) => ev.currentTarget.select()}
        />
        <Button type="button" variant="secondary" className="shrink-0 whitespace-nowrap" onClick={copy}>
          Copy {noun}
        </Button>
      </div>
      {copied === "yes" ? <p>Copied.</p> : null}
      {copied === "no" ? <p>The {noun} is selected: press Ctrl+C (⌘C) to copy it.</p> : null}
    </section>
  );
}
