"use client";

import { useRouter } from "next/navigation";
import { useEffect, useState, useTransition } from "react";
import { endEmergencyAction } from "@/app/(console)/o/[org]/emergency/actions";
import { Button } from "@/components/ui/button";

const remaining = (until: number, now: number) => {
  const s = Math.max(0, Math.floor((until - now) / 1000));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, "0")}`;
};

/** Replaces the wedding-hours banner for the user holding break-glass access: what, why, and a countdown. */
export function EmergencyBanner(props: {
  org: string;
  environment: string;
  reason: string;
  expiresAt: string;
  until: string;
}) {
  const router = useRouter();
  const end = new Date(props.expiresAt).getTime();
  const [now, setNow] = useState(() => Date.now());
  const [pending, start] = useTransition();
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(t);
  }, []);
  useEffect(() => {
    if (now >= end) router.refresh(); // expiry restores the lock
  }, [now, end, router]);
  return (
    <div
      role="alert"
      aria-label="Emergency access"
      className="flex flex-wrap items-center justify-between gap-3 border-b border-red-300 bg-red-600 px-6 py-2 text-sm text-white"
    >
      <span>
        <strong>Emergency access to {props.environment}</strong> — ends in{" "}
        <span className="font-mono" data-testid="emergency-countdown">
          {remaining(end, now)}
        </span>{" "}
        (at {props.until}). Every change is flagged and reviewed. Reason: {props.reason}
      </span>
      <Button
        type="button"
        variant="secondary"
        size="sm"
        disabled={pending}
        onClick={() =>
          start(async () => {
            await endEmergencyAction(props.org);
            router.refresh();
          })
        }
      >
        End emergency access
      </Button>
    </div>
  );
}
