"use client";

import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { Button } from "@/components/ui/button";
import type { ActionResult } from "@/lib/errors";
import { joinInvitationAction } from "@/server/actions/invitations";
import { refusal } from "./refusal";

/** The signed-in invitee joins; on success they land in the organization. */
export function JoinButton({ token, organization }: { token: string; organization: string }) {
  const router = useRouter();
  const [state, setState] = useState<ActionResult<{ slug: string }> | null>(null);
  const [pending, startTransition] = useTransition();
  const join = () =>
    startTransition(async () => {
      const form = new FormData();
      form.set("token", token);
      const result = await joinInvitationAction(null, form);
      setState(result);
      if (result.ok) {
        router.push(`/o/${result.data.slug}`);
        router.refresh();
      }
    });
  return (
    <div className="space-y-3">
      {state && !state.ok ? (
        <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-800">
          {refusal(state)}
        </p>
      ) : null}
      <Button type="button" className="w-full" onClick={join} disabled={pending}>
        {pending ? "Joining…" : `Join ${organization}`}
      </Button>
    </div>
  );
}
