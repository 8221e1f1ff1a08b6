"use client";

import { SentForApproval, wasRequested } from "@/components/approvals/sent-for-approval";
import { useRefreshingForm } from "@/components/forms/use-action-form";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { FormMessage } from "@/components/ui/form-message";
import { Input } from "@/components/ui/input";
import { Select } from "@/components/ui/select";
import type { ActionResult } from "@/lib/errors";
import { ISO_DAYS } from "@/lib/format";
import {
  addBlackoutAction,
  addWindowAction,
  removeProtectionAction,
  setTimeZoneAction,
} from "@/server/actions/settings";

type State = ActionResult<unknown> | null;

/** The zone places every weekly window: a change waits for a reviewer, and is refused during wedding hours. */
export function TimeZoneForm({ org, timeZone, zones }: { org: string; timeZone: string; zones: string[] }) {
  const { state, onSubmit, pending } = useRefreshingForm<State>(setTimeZoneAction.bind(null, org), null);
  const errors = state && !state.ok ? (state.fieldErrors ?? {}) : {};
  return (
    <form onSubmit={onSubmit} className="space-y-3" aria-label="Time zone">
      {wasRequested(state) ? null : <FormMessage state={state} success="Saved." />}
      <SentForApproval org={org} state={state} />
      <div className="flex flex-wrap items-end gap-3">
        <Field label="Time zone" htmlFor="timeZone" error={errors.timeZone}>
          <Select id="timeZone" name="timeZone" defaultValue={timeZone}>
            {zones.map((z) => (
              <option key={z} value={z}>
                {z}
              </option>
            ))}
          </Select>
        </Field>
        <Field
          label="Reason"
          htmlFor="tz-reason"
          error={errors.reason}
          hint="A new zone moves every weekly window: a reviewer approves it"
        >
          <Input id="tz-reason" name="reason" autoComplete="off" maxLength={1000} />
        </Field>
        <Button type="submit" disabled={pending}>
          Save time zone
        </Button>
      </div>
    </form>
  );
}

const dayOptions = ISO_DAYS.map((d, i) => (
  <option key={d} value={i + 1}>
    {d}
  </option>
));

export function AddWindowForm({ org }: { org: string }) {
  const { state, onSubmit, pending } = useRefreshingForm<State>(addWindowAction.bind(null, org), null);
  const errors = state && !state.ok ? (state.fieldErrors ?? {}) : {};
  return (
    <form onSubmit={onSubmit} className="space-y-3" aria-label="Add weekly window">
      <FormMessage state={state} />
      <div className="grid gap-3 sm:grid-cols-5">
        <Field label="From day" htmlFor="startDay" error={errors.startDay}>
          <Select id="startDay" name="startDay" defaultValue="5">
            {dayOptions}
          </Select>
        </Field>
        <Field label="From time" htmlFor="startTime" error={errors.startTime}>
          <Input id="startTime" name="startTime" defaultValue="18:00" placeholder="HH:MM" />
        </Field>
        <Field label="To day" htmlFor="endDay" error={errors.endDay}>
          <Select id="endDay" name="endDay" defaultValue="7">
            {dayOptions}
          </Select>
        </Field>
        <Field label="To time" htmlFor="endTime" error={errors.endTime} hint="24:00 = end of day">
          <Input id="endTime" name="endTime" defaultValue="24:00" placeholder="HH:MM" />
        </Field>
        <Field label="Label" htmlFor="label" error={errors.label}>
          <Input id="label" name="label" placeholder="Wedding weekend" />
        </Field>
      </div>
      <Button type="submit" disabled={pending}>
        Add window
      </Button>
    </form>
  );
}

export function AddBlackoutForm({ org }: { org: string }) {
  const { state, onSubmit, pending } = useRefreshingForm<State>(addBlackoutAction.bind(null, org), null);
  const errors = state && !state.ok ? (state.fieldErrors ?? {}) : {};
  return (
    <form onSubmit={onSubmit} className="space-y-3" aria-label="Add blackout">
      <FormMessage state={state} />
      <div className="grid gap-3 sm:grid-cols-3">
        <Field label="Starts" htmlFor="startsAt" error={errors.startsAt}>
          <Input id="startsAt" name="startsAt" type="datetime-local" />
        </Field>
        <Field label="Ends" htmlFor="endsAt" error={errors.endsAt}>
          <Input id="endsAt" name="endsAt" type="datetime-local" />
        </Field>
        <Field label="Reason" htmlFor="reason" error={errors.reason}>
          <Input id="reason" name="reason" placeholder="Flagship wedding" />
        </Field>
      </div>
      <Button type="submit" disabled={pending}>
        Add blackout
      </Button>
    </form>
  );
}

export function RemoveButton({
  org,
  id,
  kind,
  label,
}: {
  org: string;
  id: string;
  kind: "window" | "blackout";
  label: string;
}) {
  const { state, onSubmit, pending } = useRefreshingForm<State>(removeProtectionAction.bind(null, org), null);
  const reasonError = state && !state.ok ? state.fieldErrors?.reason : undefined;
  return (
    <form onSubmit={onSubmit} className="flex flex-wrap items-center gap-2">
      <input type="hidden" name="kind" value={kind} />
      <input type="hidden" name="id" value={id} />
      <Input
        name="reason"
        aria-label={`Reason to remove ${label}`}
        placeholder="Reason (a reviewer approves removals)"
        className="w-72"
        maxLength={1000}
        aria-invalid={reasonError ? true : undefined}
      />
      <Button type="submit" variant="ghost" size="sm" disabled={pending} aria-label={`Remove ${label}`}>
        Remove
      </Button>
      <FormMessage state={state} />
      {reasonError ? <span className="text-xs text-red-700">{reasonError.join(" ")}</span> : null}
      <SentForApproval org={org} state={state} />
    </form>
  );
}
