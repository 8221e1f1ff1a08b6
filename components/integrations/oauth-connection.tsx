"use client";

import { useEffect } from "react";
import { ActionButton } from "@/components/forms/action-button";
import { useActionForm } from "@/components/forms/use-action-form";
import { Button } from "@/components/ui/button";
import { FormMessage } from "@/components/ui/form-message";
import type { ActionResult } from "@/lib/errors";
import { connectOauthAction, disconnectOauthAction } from "@/server/actions/integrations";

export type GrantView = {
  active: boolean;
  account: string | null;
  livemode: boolean | null;
  scopes: string;
  connectedAt: string;
  accessExpiresAt: string | null;
  refreshedAt: string | null;
  revokedAt: string | null;
  revokedReason: string | null;
};

/**
 * An OAuth config's grant, in words (never a token), with Connect (to the provider's authorization page, then
 * back) and Disconnect. `manage` false: the grant only. Times are already formatted by the page.
 */
export function OauthConnection(props: {
  org: string;
  id: string;
  name: string;
  callback: string;
  grant: GrantView | null;
  manage: boolean;
}) {
  const { state, onSubmit, pending } = useActionForm<ActionResult<{ url: string }> | null>(
    connectOauthAction.bind(null, props.org),
    null,
  );
  useEffect(() => {
    if (state?.ok) window.location.assign(state.data.url);
  }, [state]);
  const g = props.grant;
  return (
    <div className="space-y-3 text-sm">
      {g ? (
        <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-1">
          <dt className="text-gray-600">Grant</dt>
          <dd>
            {g.active
              ? "connected"
              : `ended ${g.revokedAt ?? ""}${g.revokedReason ? `: ${g.revokedReason}` : ""}`}
          </dd>
          <dt className="text-gray-600">Account</dt>
          <dd className="font-mono break-all">
            {g.account ?? "—"}
            {g.livemode === null ? "" : g.livemode ? " (live mode)" : " (test mode)"}
          </dd>
          <dt className="text-gray-600">Scopes</dt>
          <dd className="font-mono break-all">{g.scopes || "—"}</dd>
          <dt className="text-gray-600">Connected</dt>
          <dd>{g.connectedAt}</dd>
          <dt className="text-gray-600">Access until</dt>
          <dd>
            {g.accessExpiresAt ?? "no expiry given"}
            {g.refreshedAt ? ` (renewed ${g.refreshedAt})` : ""}
          </dd>
        </dl>
      ) : (
        <p className="text-gray-700">Not connected yet.</p>
      )}
      {props.manage ? (
        <>
          <p className="text-gray-700">
            Register this redirect address with the OAuth app:{" "}
            <code className="break-all rounded bg-gray-100 px-1">{props.callback}</code>
          </p>
          <div className="flex flex-wrap items-center gap-2">
            <form onSubmit={onSubmit}>
              <input type="hidden" name="id" value={props.id} />
              <Button
                type="submit"
                size="sm"
                disabled={pending}
                aria-label={`Connect ${props.name} at the provider`}
              >
                {pending ? "Opening the provider…" : g?.active ? "Connect again" : "Connect"}
              </Button>
            </form>
            {g?.active ? (
              <ActionButton
                action={disconnectOauthAction.bind(null, props.org)}
                fields={{ id: props.id }}
                label="Disconnect"
                ariaLabel={`Disconnect ${props.name}`}
              />
            ) : null}
          </div>
          <FormMessage state={state} />
        </>
      ) : null}
    </div>
  );
}
