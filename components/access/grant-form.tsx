"use client";

import { useState } from "react";
import { SentForApproval, wasRequested } from "@/components/approvals/sent-for-approval";
import { useActionForm } from "@/components/forms/use-action-form";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { FormMessage } from "@/components/ui/form-message";
import { Input } from "@/components/ui/input";
import { Select } from "@/components/ui/select";
import type { ActionResult } from "@/lib/errors";
import { ROLES } from "@/lib/roles";
import { grantPolicyAction } from "@/server/actions/access";
import { TimeWindowFields } from "./time-window-fields";

/** Grant access beyond a role's baseline: to a user or a role, over all variables, one, or a tag. */
export function GrantForm({
  org,
  environments,
  timeZone,
}: {
  org: string;
  environments: string[];
  timeZone: string;
}) {
  const { state, onSubmit, pending } = useActionForm<ActionResult<{ status: string }> | null>(
    grantPolicyAction.bind(null, org),
    null,
  );
  const [subject, setSubject] = useState("user");
  const [scope, setScope] = useState("all");
  const e = state && !state.ok ? state.fieldErrors : undefined;
  return (
    <form onSubmit={onSubmit} aria-label="Grant access" className="grid max-w-3xl grid-cols-2 gap-4">
      <div className="col-span-2">
        <FormMessage state={state} success={wasRequested(state) ? undefined : "Access granted."} />
        <SentForApproval org={org} state={state} />
      </div>
      <Field label="To" htmlFor="g-subject" error={e?.subject}>
        <Select id="g-subject" name="subject" value={subject} onChange={(ev) => setSubject(ev.target.value)}>
          <option value="user">A user</option>
          <option value="role">Everyone with a role</option>
        </Select>
      </Field>
      {subject === "user" ? (
        <Field label="User email" htmlFor="g-email" error={e?.email}>
          <Input id="g-email" name="email" type="email" autoComplete="off" />
        </Field>
      ) : (
        <Field label="Role" htmlFor="g-role" error={e?.role}>
          <Select id="g-role" name="role" defaultValue="developer">
            {ROLES.map((r) => (
              <option key={r} value={r}>
                {r.replace("_", " ")}
              </option>
            ))}
          </Select>
        </Field>
      )}
      <Field label="Permission" htmlFor="g-permission" error={e?.permission}>
        <Select id="g-permission" name="permission" defaultValue="read">
          <option value="read">read</option>
          <option value="write">write</option>
          <option value="admin">admin</option>
          <option value="emergency">emergency (break-glass)</option>
        </Select>
      </Field>
      <Field label="Over" htmlFor="g-scope" error={e?.scope}>
        <Select id="g-scope" name="scope" value={scope} onChange={(ev) => setScope(ev.target.value)}>
          <option value="all">all variables</option>
          <option value="variable">one variable</option>
          <option value="tag">variables with a tag</option>
        </Select>
      </Field>
      {scope === "variable" ? (
        <Field label="Variable name" htmlFor="g-variable" error={e?.variable}>
          <Input id="g-variable" name="variable" className="font-mono" autoComplete="off" />
        </Field>
      ) : null}
      {scope === "tag" ? (
        <Field label="Tag" htmlFor="g-tag" error={e?.tag}>
          <Input id="g-tag" name="tag" autoComplete="off" />
        </Field>
      ) : null}
      <Field
        label="Environments"
        htmlFor="g-envs"
        hint={`Comma-separated; empty means all (${environments.join(", ")})`}
        error={e?.environments}
      >
        <Input id="g-envs" name="environments" autoComplete="off" />
      </Field>
      <Field
        label="Expires"
        htmlFor="g-expires"
        hint="Optional; the grant ends at the end of that day"
        error={e?.expiresAt}
      >
        <Input id="g-expires" name="expiresAt" type="date" />
      </Field>
      <TimeWindowFields errors={e} timeZone={timeZone} />
      <div className="col-span-2">
        <Field
          label="Reason"
          htmlFor="g-reason"
          hint="Needed for admin or emergency, or write on production: a reviewer approves those."
          error={e?.reason}
        >
          <Input id="g-reason" name="reason" autoComplete="off" maxLength={1000} />
        </Field>
      </div>
      <div className="col-span-2">
        <Button type="submit" disabled={pending}>
          {pending ? "Granting…" : "Grant access"}
        </Button>
      </div>
    </form>
  );
}
