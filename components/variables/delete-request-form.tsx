"use client";

import type { FormEvent } from "react";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";

/** Asks for the reviewer's reason before a deletion that needs approval is sent. */
export function DeleteRequestForm({
  environmentId,
  variableId,
  version,
  label,
  error,
  pending,
  onSubmit,
  onCancel,
}: {
  environmentId: string;
  variableId: string;
  version: number;
  label: string;
  error?: string[];
  pending: boolean;
  onSubmit: (event: FormEvent<HTMLFormElement>) => void;
  onCancel: () => void;
}) {
  return (
    <form
      onSubmit={onSubmit}
      className="space-y-3 rounded-md bg-gray-50 p-3"
      aria-label={`Request deletion of ${label}`}
    >
      <input type="hidden" name="variableId" value={variableId} />
      <input type="hidden" name="environmentId" value={environmentId} />
      <input type="hidden" name="expectedVersion" value={version} />
      <Field label="Reason for the reviewer" htmlFor={`delete-note-${environmentId}`} error={error}>
        <Input id={`delete-note-${environmentId}`} name="note" autoComplete="off" />
      </Field>
      <div className="flex gap-2">
        <Button type="submit" size="sm" variant="danger" disabled={pending}>
          Request deletion
        </Button>
        <Button type="button" variant="ghost" size="sm" onClick={onCancel}>
          Cancel
        </Button>
      </div>
    </form>
  );
}
