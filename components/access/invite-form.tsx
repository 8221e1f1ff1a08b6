"use client";

import { useActionForm } from "@/components/forms/use-action-form";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { FormMessage } from "@/components/ui/form-message";
import { Input } from "@/components/ui/input";
import { Select } from "@/components/ui/select";
import type { ActionResult } from "@/lib/errors";
import type { Role } from "@/lib/roles";
import { inviteAction } from "@/server/actions/access";
import { InviteLink } from "./invite-link";

type Created = { email: string; role: string; expiresAt: string; link: string };

/** Invite by email with a role; the link is shown once, here, to copy and send. */
export function InviteForm({ org, roles, timeZone }: { org: string; roles: Role[]; timeZone: string }) {
  const { state, onSubmit, pending } = useActionForm<ActionResult<Created> | null>(
    inviteAction.bind(null, org),
    null,
  );
  const e = state && !state.ok ? state.fieldErrors : undefined;
  return (
    <div className="max-w-3xl space-y-4">
      <form
        onSubmit={onSubmit}
        aria-label="Invite"
        className="grid grid-cols-[1fr_12rem_auto] items-end gap-4"
      >
        <Field label="Email" htmlFor="i-email" error={e?.email}>
          <Input id="i-email" name="email" type="email" autoComplete="off" required />
        </Field>
        <Field label="Role" htmlFor="i-role" error={e?.role}>
          <Select id="i-role" name="role" defaultValue="developer">
            {roles.map((r) => (
              <option key={r} value={r}>
                {r.replace("_", " ")}
              </option>
            ))}
          </Select>
        </Field>
        <Button type="submit" disabled={pending}>
          {pending ? "Creating…" : "Create invite link"}
        </Button>
      </form>
      {state && !state.ok ? <FormMessage state={state} /> : null}
      {state?.ok ? <InviteLink {...state.data} timeZone={timeZone} /> : null}
    </div>
  );
}
