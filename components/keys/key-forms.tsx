"use client";

import { useRefreshingForm } from "@/components/forms/use-action-form";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { FormMessage } from "@/components/ui/form-message";
import { Input } from "@/components/ui/input";
import type { ActionResult } from "@/lib/errors";
import { revokeKeyAction, saveKeyPolicyAction, startRotationAction } from "@/server/actions/keys";

type State = ActionResult<unknown> | null;

/** Starts a rotation: a new data-key version at once, the old ones re-encrypted away in the background. */
export function StartRotationForm({ org, disabled }: { org: string; disabled: boolean }) {
  const { state, onSubmit, pending } = useRefreshingForm<State>(startRotationAction.bind(null, org), null);
  return (
    <form onSubmit={onSubmit} className="space-y-2" aria-label="Rotate the data key">
      <input type="hidden" name="confirm" value="rotate" />
      <FormMessage state={state} success="Rotation started." />
      <Button type="submit" disabled={pending || disabled}>
        Rotate data key
      </Button>
    </form>
  );
}

/** Revokes a deprecated version: it never decrypts again (refused while anything still uses it). */
export function RevokeKeyForm({ org, keyId, version }: { org: string; keyId: string; version: number }) {
  const { state, onSubmit, pending } = useRefreshingForm<State>(revokeKeyAction.bind(null, org), null);
  return (
    <form onSubmit={onSubmit} className="flex flex-wrap items-center gap-2">
      <input type="hidden" name="keyId" value={keyId} />
      <Button
        type="submit"
        variant="ghost"
        size="sm"
        disabled={pending}
        aria-label={`Revoke version ${version}`}
      >
        Revoke
      </Button>
      <FormMessage state={state} />
    </form>
  );
}

export function KeyPolicyForm({
  org,
  minDecryptionVersion,
  dataKeyRotationDays,
}: {
  org: string;
  minDecryptionVersion: number;
  dataKeyRotationDays: number | null;
}) {
  const { state, onSubmit, pending } = useRefreshingForm<State>(saveKeyPolicyAction.bind(null, org), null);
  const errors = state && !state.ok ? (state.fieldErrors ?? {}) : {};
  return (
    <form onSubmit={onSubmit} className="space-y-3" aria-label="Key settings">
      <FormMessage state={state} success="Saved." />
      <div className="flex flex-wrap items-end gap-3">
        <Field
          label="Minimum decryption version"
          htmlFor="minDecryptionVersion"
          error={errors.minDecryptionVersion}
          hint="Older data-key versions never decrypt"
        >
          <Input
            id="minDecryptionVersion"
            name="minDecryptionVersion"
            inputMode="numeric"
            defaultValue={String(minDecryptionVersion)}
            autoComplete="off"
          />
        </Field>
        <Field
          label="Rotate every (days)"
          htmlFor="dataKeyRotationDays"
          error={errors.dataKeyRotationDays}
          hint="Empty: no schedule"
        >
          <Input
            id="dataKeyRotationDays"
            name="dataKeyRotationDays"
            inputMode="numeric"
            defaultValue={dataKeyRotationDays === null ? "" : String(dataKeyRotationDays)}
            autoComplete="off"
          />
        </Field>
        <Button type="submit" disabled={pending}>
          Save key settings
        </Button>
      </div>
    </form>
  );
}
