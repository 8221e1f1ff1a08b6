import Link from "next/link";
import { formatDate } from "@/lib/format";

/** The active data key is past the organization's rotation interval: when it fell due, and where to rotate it. */
export function KeyReminder(props: {
  org: string;
  timeZone: string;
  reminder: { version: number; ageDays: number; intervalDays: number; dueAt: Date; overdueDays: number };
  canRotate: boolean;
}) {
  const { reminder: r, org } = props;
  return (
    <section
      role="status"
      aria-label="Data key rotation due"
      className="rounded border border-amber-300 bg-amber-50 p-3 text-sm text-amber-950"
    >
      The data key (version {r.version}) is {r.ageDays} days old: it is rotated every {r.intervalDays} days,
      and was due on {formatDate(r.dueAt, props.timeZone)}
      {r.overdueDays > 0 ? ` (${r.overdueDays} days overdue)` : ""}.{" "}
      <Link href={`/o/${org}/settings/keys`} className="font-medium underline">
        {props.canRotate ? "Rotate it" : "See the keys"}
      </Link>
    </section>
  );
}
