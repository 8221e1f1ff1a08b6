"use client";

import { useRouter } from "next/navigation";
import { useMemo, useState, useTransition } from "react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Table, TBody, TD, TH, THead, TR } from "@/components/ui/table";
import type { DiffCounts, DiffKind } from "@/lib/compare";
import type { Control } from "@/lib/controls";
import { promoteAction } from "@/server/actions/compare";

type Row = {
  variableId: string;
  name: string;
  securityClassification: string;
  isRequired: boolean;
  kind: DiffKind;
  fromVersion: number;
  toVersion: number;
};

const KIND: Record<DiffKind, { label: string; tone: "green" | "red" | "amber" | "neutral" }> = {
  added: { label: "missing in target", tone: "red" },
  changed: { label: "differs", tone: "amber" },
  removed: { label: "only in target", tone: "neutral" },
  same: { label: "same", tone: "green" },
};

type Props = {
  org: string;
  from: { id: string; name: string };
  to: { id: string; name: string };
  rows: Row[];
  counts: DiffCounts;
  /** Whether the caller may change values in the target now, or why not (lib/controls.ts). */
  control: Control;
};

/** The differences between two environments; select keys and promote them from → to in one go. */
export function PromoteForm({ org, from, to, rows, counts, control }: Props) {
  const router = useRouter();
  const [showSame, setShowSame] = useState(false);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [note, setNote] = useState("");
  const [message, setMessage] = useState<{ ok: boolean; text: string; details?: string[] } | null>(null);
  const [pending, start] = useTransition();
  const promotable = useMemo(() => rows.filter((r) => r.kind === "added" || r.kind === "changed"), [rows]);
  const visible = rows.filter((r) => showSame || r.kind !== "same");
  const toggle = (id: string) =>
    setSelected((s) => {
      const next = new Set(s);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });
  const allSelected = promotable.length > 0 && promotable.every((r) => selected.has(r.variableId));
  const offered = control.state !== "hidden";
  const locked = control.state === "locked";

  const promote = () =>
    start(async () => {
      setMessage(null);
      const items = promotable
        .filter((r) => selected.has(r.variableId))
        .map((r) => ({ variableId: r.variableId, expectedVersion: r.toVersion }));
      const result = await promoteAction(org, {
        fromEnvironmentId: from.id,
        toEnvironmentId: to.id,
        items,
        note: note || undefined,
      });
      if (result.ok) {
        setSelected(new Set());
        setMessage({
          ok: true,
          text:
            result.data.status === "requested"
              ? `Sent for approval (${result.data.request.riskLevel} risk): ${result.data.request.items} key(s) from ${from.name} to ${to.name} wait for a reviewer.`
              : `Promoted ${result.data.promoted} key(s) from ${from.name} to ${to.name}.`,
        });
        router.refresh();
      } else {
        const details = Object.entries(result.fieldErrors ?? {}).map(([k, v]) => `${k}: ${v.join("; ")}`);
        const conflicts = (
          result.error.meta?.conflicts as { name: string; currentVersion: number }[] | undefined
        )?.map((c) => `${c.name} is now at v${c.currentVersion} in ${to.name}`);
        setMessage({
          ok: false,
          text: `${result.error.message} Nothing was promoted.`,
          details: [...details, ...(conflicts ?? [])],
        });
      }
    });

  return (
    <section aria-labelledby="diff-heading" className="space-y-3">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <h2 id="diff-heading" className="text-base font-semibold">
          {from.name} → {to.name}: {counts.added} missing in {to.name}, {counts.changed} differ,{" "}
          {counts.removed} only in {to.name}, {counts.same} same
        </h2>
        <label className="flex items-center gap-2 text-sm">
          <input type="checkbox" checked={showSame} onChange={(e) => setShowSame(e.target.checked)} />
          Show keys that are the same
        </label>
      </div>
      {message ? (
        <div
          role={message.ok ? "status" : "alert"}
          className={`rounded-md px-3 py-2 text-sm ${message.ok ? "bg-green-50 text-green-800" : "bg-red-50 text-red-800"}`}
        >
          <p>{message.text}</p>
          {message.details?.length ? (
            <ul className="mt-1 list-disc pl-5">
              {message.details.map((d) => (
                <li key={d}>{d}</li>
              ))}
            </ul>
          ) : null}
        </div>
      ) : null}
      {control.state === "hidden" ? (
        <p className="text-sm text-gray-700">{control.reason}</p>
      ) : control.state === "locked" ? (
        <p className="rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-950">
          {to.name} is {control.reason.charAt(0).toLowerCase()}
          {control.reason.slice(1)}{" "}
          {control.breakGlass ? (
            <a href={`/o/${org}/emergency`} className="font-medium underline">
              Break glass…
            </a>
          ) : (
            "Promotion waits until then."
          )}
        </p>
      ) : control.approval ? (
        <p className="text-sm text-gray-700">
          Changes to {to.name} are sent for approval: a reviewer applies them.
        </p>
      ) : null}
      <Table aria-label="Differences">
        <THead>
          <TR>
            <TH className="w-10">
              {offered ? (
                <input
                  type="checkbox"
                  aria-label="Select all promotable keys"
                  checked={allSelected}
                  disabled={promotable.length === 0 || locked}
                  onChange={() =>
                    setSelected(allSelected ? new Set() : new Set(promotable.map((r) => r.variableId)))
                  }
                />
              ) : null}
            </TH>
            <TH>Key</TH>
            <TH>Status</TH>
            <TH>{from.name}</TH>
            <TH>{to.name}</TH>
          </TR>
        </THead>
        <TBody>
          {visible.length === 0 ? (
            <TR>
              <TD colSpan={5} className="text-gray-500">
                No differences.
              </TD>
            </TR>
          ) : (
            visible.map((r) => {
              const canPromote = r.kind === "added" || r.kind === "changed";
              return (
                <TR key={r.variableId}>
                  <TD>
                    {canPromote && offered ? (
                      <input
                        type="checkbox"
                        aria-label={`Promote ${r.name}`}
                        checked={selected.has(r.variableId)}
                        disabled={locked}
                        onChange={() => toggle(r.variableId)}
                      />
                    ) : null}
                  </TD>
                  <TD className="font-mono">
                    {r.name} {r.isRequired ? <span className="text-xs text-gray-500">required</span> : null}
                  </TD>
                  <TD>
                    <Badge tone={KIND[r.kind].tone}>{KIND[r.kind].label}</Badge>
                  </TD>
                  <TD className="text-gray-600">{r.fromVersion ? `v${r.fromVersion}` : "—"}</TD>
                  <TD className="text-gray-600">{r.toVersion ? `v${r.toVersion}` : "—"}</TD>
                </TR>
              );
            })
          )}
        </TBody>
      </Table>
      {offered ? (
        <div className="flex flex-wrap items-end gap-3">
          <label className="flex flex-col gap-1 text-sm" htmlFor="promote-note">
            <span className="font-medium">Note (the reason, if it needs approval)</span>
            <Input
              id="promote-note"
              value={note}
              onChange={(e) => setNote(e.target.value)}
              className="w-80"
              maxLength={400}
            />
          </label>
          <Button type="button" onClick={promote} disabled={pending || locked || selected.size === 0}>
            {pending ? "Promoting…" : `Promote ${selected.size} to ${to.name}`}
          </Button>
        </div>
      ) : null}
    </section>
  );
}
