import { LimitsForm } from "@/components/ops/limits-form";
import { UsageTable } from "@/components/organizations/usage-table";
import { Badge } from "@/components/ui/badge";
import { PageHeader } from "@/components/ui/page-header";
import { limitLabel } from "@/lib/usage-limits";
import { currentOperator } from "@/server/session";
import { usageBoard } from "@/server/usage/usage";

export const metadata = { title: "Usage" };

/** Every organization's usage against its limits, the fullest first; an operator sets an organization's own. */
export default async function OpsUsagePage() {
  const user = await currentOperator();
  if (!user) return null;
  const organizations = await usageBoard({ userId: user.id });
  return (
    <div className="max-w-6xl space-y-6">
      <PageHeader
        title="Usage"
        description="Each organization's variables, environments, members, active service tokens, and today's API requests and webhook deliveries, against its limits (the installation's defaults, RINGBEARER_LIMITS, unless set here). Storage is on each organization's Settings page."
      />
      <ul className="space-y-3">
        {organizations.map((o) => {
          const attention = o.usage.filter((u) => u.level !== "ok");
          return (
            <li key={o.organizationId} className="rounded border border-gray-200 p-3">
              <details>
                <summary className="cursor-pointer">
                  <span className="font-medium">{o.name}</span>{" "}
                  <span className="text-xs text-gray-500">{o.slug}</span>{" "}
                  {attention.length === 0 ? (
                    <Badge tone="green">within limits</Badge>
                  ) : (
                    attention.map((u) => (
                      <Badge key={u.what} tone={u.level === "reached" ? "red" : "amber"}>
                        {limitLabel(u.what)}: {(u.used ?? 0).toLocaleString("en-GB")} of{" "}
                        {u.max.toLocaleString("en-GB")}
                      </Badge>
                    ))
                  )}
                </summary>
                <div className="mt-3 space-y-4">
                  <UsageTable usage={o.usage} label={`Usage of ${o.name}`} />
                  <LimitsForm
                    organizationId={o.organizationId}
                    name={o.name}
                    own={Object.fromEntries(o.usage.filter((u) => u.own).map((u) => [u.what, u.max]))}
                  />
                </div>
              </details>
            </li>
          );
        })}
      </ul>
    </div>
  );
}
