"use client";

import { useRouter } from "next/navigation";
import { useEffect, useRef, useState, useTransition } from "react";
import { Button } from "@/components/ui/button";
import { modalClass } from "@/components/ui/modal";
import type { Control } from "@/lib/controls";
import { rollbackAction } from "@/server/actions/drift";

const LISTED = 12;

type Props = {
  org: string;
  targetId: string;
  syncId: string;
  target: string;
  environment: string;
  /** A production-tier environment: the confirmation says which rules apply to pushing there. */
  production: boolean;
  /** When the sync ran, in the organization's zone. */
  when: string;
  /** What the rollback pushes: each key at the version that sync left on the target. */
  keys: { name: string; version: number }[];
  /** Whether the caller may push to that environment now (write permission, wedding hours). */
  control: Control;
};

/**
 * Redeploys what an earlier completed sync pushed (the console's values stay as they are), after a
 * confirmation that names the target, its environment and the versions it will push.
 */
export function RollbackButton(props: Props) {
  const { org, targetId, syncId, target, environment, when, keys, control } = props;
  const router = useRouter();
  const dialog = useRef<HTMLDialogElement>(null);
  const [asking, setAsking] = useState(false);
  const [text, setText] = useState<string | null>(null);
  const [pending, start] = useTransition();
  useEffect(() => {
    if (asking && !dialog.current?.open) dialog.current?.showModal();
  }, [asking]);
  if (control.state === "hidden") return null;
  const title = `Roll back ${target} (${environment}) to ${when}?`;
  const confirm = () =>
    start(async () => {
      const r = await rollbackAction(org, { id: targetId, syncId });
      setText(r.ok ? r.data.message : r.error.message);
      dialog.current?.close();
      router.refresh();
    });
  return (
    <div className="inline-flex flex-wrap items-center gap-2">
      <Button
        type="button"
        size="sm"
        variant="ghost"
        disabled={pending || control.state === "locked"}
        title={control.state === "locked" ? control.reason : undefined}
        onClick={() => setAsking(true)}
      >
        Roll back to this<span className="sr-only"> ({`${target} at ${when}`})</span>
      </Button>
      {control.state === "locked" ? <span className="text-xs text-amber-800">{control.reason}</span> : null}
      {text ? (
        <span role="status" className="text-xs text-gray-700">
          {text}
        </span>
      ) : null}
      {asking ? (
        <dialog ref={dialog} aria-label={title} onClose={() => setAsking(false)} className={modalClass()}>
          <div className="space-y-3 p-5 text-sm">
            <h2 className="text-base font-semibold">{title}</h2>
            <p>
              This pushes to <strong>{`${target} (${environment})`}</strong> the {keys.length} key(s) as that
              sync left them, from the value history; keys the console pushed there later are deleted. The
              console's own values do not change, so the next scan reports the difference as drift.
            </p>
            <ul aria-label="Versions it will push" className="font-mono text-xs">
              {keys.slice(0, LISTED).map((k) => (
                <li key={k.name}>
                  {k.name} v{k.version}
                </li>
              ))}
              {keys.length > LISTED ? <li>and {keys.length - LISTED} more</li> : null}
            </ul>
            {props.production ? (
              <p className="rounded-md bg-amber-50 px-3 py-2 text-amber-950">
                {environment} is production: a push needs no reviewer's approval, only write permission on{" "}
                {environment} (owners and admins, or a grant), and during wedding hours a break-glass session.
                It is audited as yours.
              </p>
            ) : null}
            <div className="flex justify-end gap-2">
              <Button type="button" variant="secondary" size="sm" onClick={() => dialog.current?.close()}>
                Cancel
              </Button>
              <Button type="button" size="sm" disabled={pending} onClick={confirm}>
                {pending ? "Pushing…" : "Roll back and push"}
              </Button>
            </div>
          </div>
        </dialog>
      ) : null}
    </div>
  );
}
