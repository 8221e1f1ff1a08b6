"use client";

import { type FormEvent, useState, useTransition } from "react";
import { useStepUp } from "@/components/auth/use-step-up";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import type { ActionResult } from "@/lib/errors";

/**
 * Downloads every value the owner or admin may read, sealed with a passphrase they choose (typed twice). It
 * needs a recent sign-in: the dialog asks, then it retries. The passphrase goes in the request's body only.
 */
export function ValuesExportForm({ org }: { org: string }) {
  const { withStepUp, dialog } = useStepUp();
  const [error, setError] = useState<string | null>(null);
  const [fieldError, setFieldError] = useState<string[] | undefined>();
  const [done, setDone] = useState<string | null>(null);
  const [pending, start] = useTransition();
  const request = async (passphrase: string): Promise<ActionResult<{ blob: Blob; name: string }>> => {
    const response = await fetch(`/api/o/${org}/export/values`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ passphrase }),
      cache: "no-store",
    });
    if (response.ok) {
      const name = /filename="([^"]+)"/.exec(response.headers.get("content-disposition") ?? "")?.[1];
      return { ok: true, data: { blob: await response.blob(), name: name ?? `${org}-values.sealed.json` } };
    }
    const body = (await response.json().catch(() => null)) as {
      error?: { code?: string; message?: string; meta?: Record<string, unknown> };
      fieldErrors?: Record<string, string[]>;
    } | null;
    return {
      ok: false,
      error: {
        code: body?.error?.code ?? "internal",
        message: body?.error?.message ?? `The export failed (HTTP ${response.status})`,
        meta: body?.error?.meta,
      },
      fieldErrors: body?.fieldErrors,
    };
  };
  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const passphrase = String(form.get("passphrase") ?? "");
    start(async () => {
      setError(null);
      setDone(null);
      setFieldError(undefined);
      if (passphrase !== String(form.get("again") ?? "")) {
        setFieldError(["The two passphrases do not match"]);
        return;
      }
      const result = await withStepUp(() => request(passphrase));
      if (!result.ok) {
        setError(result.error.message);
        setFieldError(result.fieldErrors?.passphrase);
        return;
      }
      const url = URL.createObjectURL(result.data.blob);
      const link = document.createElement("a");
      link.href = url;
      link.download = result.data.name;
      link.click();
      URL.revokeObjectURL(url);
      setDone(`Downloaded ${result.data.name}.`);
    });
  };
  return (
    <>
      <form onSubmit={onSubmit} className="space-y-3" aria-label="Export the values">
        <Field
          label="Passphrase"
          htmlFor="export-passphrase"
          hint="At least 12 characters. Without it the file cannot be opened: Ringbearer does not keep it."
          error={fieldError}
        >
          <Input
            id="export-passphrase"
            name="passphrase"
            type="password"
            autoComplete="new-password"
            required
          />
        </Field>
        <Field label="The passphrase again" htmlFor="export-again">
          <Input id="export-again" name="again" type="password" autoComplete="new-password" required />
        </Field>
        <Button type="submit" variant="secondary" disabled={pending}>
          Download the values (sealed)
        </Button>
        {error ? (
          <p role="alert" className="text-sm text-red-700">
            {error}
          </p>
        ) : null}
        {done ? (
          <p role="status" className="text-sm text-green-800">
            {done}
          </p>
        ) : null}
      </form>
      {dialog}
    </>
  );
}
