"use client";

import { ActionButton } from "@/components/forms/action-button";
import { revokeTokenAction } from "@/server/actions/tokens";

/** Revokes a service token at once: its next use is refused (token_revoked). */
export function RevokeTokenButton({ org, id, name }: { org: string; id: string; name: string }) {
  return (
    <ActionButton
      action={revokeTokenAction.bind(null, org)}
      fields={{ id }}
      label="Revoke"
      ariaLabel={`Revoke the token ${name}`}
    />
  );
}
