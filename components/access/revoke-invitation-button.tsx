"use client";

import { ActionButton } from "@/components/forms/action-button";
import { revokeInvitationAction } from "@/server/actions/access";

export function RevokeInvitationButton({ org, id, email }: { org: string; id: string; email: string }) {
  return (
    <ActionButton
      action={revokeInvitationAction.bind(null, org)}
      fields={{ id }}
      label="Revoke"
      ariaLabel={`Revoke the invitation for ${email}`}
    />
  );
}
