import Link from "next/link";
import { Badge } from "@/components/ui/badge";
import { Card } from "@/components/ui/card";
import type { PrecheckItem } from "@/db/repos/integration-precheck";
import { formatStamp } from "@/lib/format";

const tone = { healthy: "green", degraded: "amber", unhealthy: "red", unknown: "neutral" } as const;

/**
 * The pre-check before wedding hours: integrations of protected environments that are not healthy, or whose
 * grant lapses inside the window. Shown from 48 hours before the window opens until it ends.
 */
export function IntegrationPrecheck(props: {
  org: string;
  timeZone: string;
  check: { startsAt: Date; endsAt: Date; items: PrecheckItem[] };
}) {
  const { check, timeZone, org } = props;
  const window = `${formatStamp(check.startsAt, timeZone)} – ${formatStamp(check.endsAt, timeZone)}`;
  return (
    <Card>
      <section aria-label="Integrations before wedding hours" className="space-y-2 p-4">
        <h2 className="text-base font-semibold">Integrations before wedding hours</h2>
        <p className="text-sm text-gray-700">Wedding hours: {window}.</p>
        {check.items.length === 0 ? (
          <p className="text-sm text-gray-800">Every integration of a protected environment is healthy.</p>
        ) : (
          <ul className="space-y-1 text-sm" aria-label="Integrations to look at">
            {check.items.map((i) => (
              <li key={i.id} className="flex flex-wrap items-center gap-2">
                <Badge tone={tone[i.healthStatus as keyof typeof tone] ?? "neutral"}>{i.healthStatus}</Badge>
                <Link href={`/o/${org}/integrations/${i.id}`} className="text-indigo-700 hover:underline">
                  {i.name}
                </Link>
                <span className="font-mono text-gray-700">
                  {i.platform} · {i.environment}
                </span>
                {i.expiresAt ? (
                  <span className="text-gray-800">
                    its grant lapses {formatStamp(new Date(i.expiresAt), timeZone)}
                  </span>
                ) : null}
                {i.healthMessage && i.healthStatus !== "healthy" ? (
                  <span className="text-gray-700">({i.healthMessage})</span>
                ) : null}
              </li>
            ))}
          </ul>
        )}
      </section>
    </Card>
  );
}
