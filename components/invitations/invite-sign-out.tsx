"use client";

import { signOut } from "next-auth/react";
import { Button } from "@/components/ui/button";

/** Signs out and comes back to the invitation, to accept it with the invited email. */
export function InviteSignOut({ token }: { token: string }) {
  return (
    <Button type="button" variant="secondary" onClick={() => signOut({ callbackUrl: `/invite/${token}` })}>
      Sign out
    </Button>
  );
}
