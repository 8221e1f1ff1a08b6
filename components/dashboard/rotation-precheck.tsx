import type { DueCredential } from "@/db/repos/rotation-precheck";
import { formatStamp } from "@/lib/format";

/**
 * Before wedding hours: credentials of protected environments that are due for rotation before the window ends
 * (a change during it needs break-glass). Shown from 48 hours before the window opens, only when there are any.
 */
export function RotationPrecheck(props: {
  timeZone: string;
  check: { startsAt: Date; endsAt: Date; items: DueCredential[] };
}) {
  const { check, timeZone } = props;
  return (
    <section
      aria-label="Credentials due before wedding hours end"
      className="space-y-2 rounded border border-amber-300 bg-amber-50 p-3 text-sm text-amber-950"
    >
      <h2 className="font-semibold">Credentials due for rotation before wedding hours end</h2>
      <p>
        Wedding hours: {formatStamp(check.startsAt, timeZone)} – {formatStamp(check.endsAt, timeZone)}. Rotate
        these before the window opens, or they fall due while production is locked.
      </p>
      <ul className="list-disc pl-5" aria-label="Credentials due">
        {check.items.map((i) => (
          <li key={`${i.environment}:${i.variable}`}>
            <span className="font-mono">{i.variable}</span> in {i.environment}: due{" "}
            {formatStamp(new Date(i.dueAt), timeZone)}
          </li>
        ))}
      </ul>
    </section>
  );
}
