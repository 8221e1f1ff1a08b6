"use client";

import { SentForApproval, wasRequested } from "@/components/approvals/sent-for-approval";
import { useActionForm } from "@/components/forms/use-action-form";
import { Button } from "@/components/ui/button";
import { FormMessage } from "@/components/ui/form-message";
import type { ActionResult } from "@/lib/errors";
import { ROLES } from "@/lib/roles";
import { changeRoleAction, removeMemberAction, revokeSessionsAction } from "@/server/actions/access";

type State = ActionResult<unknown> | null;

/** Change a member's role, sign them out everywhere, or remove them (owners and admins). */
export function MemberRowActions({
  org,
  userId,
  email,
  role,
}: {
  org: string;
  userId: string;
  email: string;
  role: string;
}) {
  const change = useActionForm<State>(changeRoleAction.bind(null, org), null);
  const revoke = useActionForm<State>(revokeSessionsAction.bind(null, org), null);
  const remove = useActionForm<State>(removeMemberAction.bind(null, org), null);
  const errors = [change.state, revoke.state, remove.state].flatMap((s) =>
    s && !s.ok ? Object.values(s.fieldErrors ?? {}).flat() : [],
  );
  return (
    <div className="space-y-1">
      <div className="flex flex-wrap items-center gap-2">
        <form onSubmit={change.onSubmit} className="flex items-center gap-1" aria-label={`Role of ${email}`}>
          <input type="hidden" name="userId" value={userId} />
          <select
            name="role"
            defaultValue={role}
            aria-label={`New role for ${email}`}
            className="rounded-md border border-gray-300 px-2 py-1 text-sm"
          >
            {ROLES.map((r) => (
              <option key={r} value={r}>
                {r.replace("_", " ")}
              </option>
            ))}
          </select>
          <input
            name="reason"
            aria-label={`Reason to change the role of ${email}`}
            placeholder="Reason (for owner or admin)"
            className="w-48 rounded-md border border-gray-300 px-2 py-1 text-sm"
            maxLength={1000}
          />
          <Button type="submit" size="sm" variant="secondary" disabled={change.pending}>
            Change role
          </Button>
        </form>
        <form onSubmit={revoke.onSubmit}>
          <input type="hidden" name="userId" value={userId} />
          <Button type="submit" size="sm" variant="ghost" disabled={revoke.pending}>
            Sign out everywhere<span className="sr-only"> ({email})</span>
          </Button>
        </form>
        <form onSubmit={remove.onSubmit}>
          <input type="hidden" name="userId" value={userId} />
          <Button
            type="submit"
            size="sm"
            variant="ghost"
            disabled={remove.pending}
            aria-label={`Remove ${email}`}
          >
            Remove
          </Button>
        </form>
      </div>
      <FormMessage state={change.state} success={wasRequested(change.state) ? undefined : "Role changed."} />
      <SentForApproval org={org} state={change.state} />
      <FormMessage state={revoke.state} success="Signed out everywhere." />
      <FormMessage state={remove.state} />
      {errors.length > 0 ? <p className="text-xs text-red-700">{errors.join(" ")}</p> : null}
    </div>
  );
}
