"use client";

import { useRouter } from "next/navigation";
import { useEffect, useState, useTransition } from "react";
import { Button } from "@/components/ui/button";
import { endEmergencyAction } from "@/server/actions/emergency";

const remaining = (until: number, now: number) => {
  const s = Math.max(0, Math.floor((until - now) / 1000));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, "0")}`;
};

/**
 * The ticking minutes:seconds. A `timer` is not a live region: a screen reader reads it when asked, not
 * every second. Only this component re-renders each second; at the end it refreshes the page, which
 * restores the lock.
 */
function Countdown({ end }: { end: number }) {
  const router = useRouter();
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(t);
  }, []);
  useEffect(() => {
    if (now >= end) router.refresh(); // expiry restores the lock
  }, [now, end, router]);
  return (
    <span role="timer" aria-live="off" className="font-mono" data-testid="emergency-countdown">
      {remaining(end, now)}
    </span>
  );
}

/**
 * Replaces the wedding-hours banner for the user holding break-glass access: what, why, and a countdown.
 * The alert holds only what does not change, so it is announced once; the countdown sits beside it.
 */
export function EmergencyBanner(props: {
  org: string;
  environment: string;
  reason: string;
  expiresAt: string;
  until: string;
}) {
  const router = useRouter();
  const [pending, start] = useTransition();
  return (
    <div className="flex flex-wrap items-center justify-between gap-3 border-b border-red-300 bg-red-700 px-4 py-2 text-sm text-white md:px-6">
      <div className="min-w-0 space-y-0.5">
        <p role="alert" aria-label="Emergency access">
          <strong>Emergency access to {props.environment}</strong> until {props.until}. Every change is
          flagged and reviewed. Reason: {props.reason}
        </p>
        <p>
          Ends in <Countdown end={new Date(props.expiresAt).getTime()} />
        </p>
      </div>
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
