import { Badge } from "@/components/ui/badge";
import { Table, TBody, TD, TH, THead, TR } from "@/components/ui/table";
import { LIMITS, type UsageLevel } from "@/lib/usage-limits";

export type UsageLine = { what: string; used: number | null; max: number; own: boolean; level: UsageLevel };

const amount = (what: string, n: number) => {
  if (what !== "storage_bytes") return n.toLocaleString("en-GB");
  const units = ["bytes", "KiB", "MiB", "GiB", "TiB"];
  let i = 0;
  let v = n;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${i === 0 ? v : v.toFixed(1)} ${units[i]}`;
};

/** An organization's usage against its limits: each line's level (a warning from 80 %), and whether it is enforced. */
export function UsageTable({ usage, label }: { usage: UsageLine[]; label: string }) {
  return (
    <Table aria-label={label}>
      <THead>
        <TR>
          <TH>What</TH>
          <TH>Used</TH>
          <TH>Limit</TH>
          <TH>State</TH>
        </TR>
      </THead>
      <TBody>
        {LIMITS.map((limit) => {
          const line = usage.find((u) => u.what === limit.key);
          if (!line) return null;
          const percent = Math.floor(((line.used ?? 0) / line.max) * 100);
          return (
            <TR key={limit.key}>
              <TD>{limit.label}</TD>
              <TD>{line.used === null ? "counted on its Settings page" : amount(limit.key, line.used)}</TD>
              <TD>
                {amount(limit.key, line.max)}
                <span className="block text-xs text-gray-500">
                  {line.own ? "set for this organization" : "installation default"}
                  {limit.enforced ? "" : " · warned, never refused"}
                </span>
              </TD>
              <TD>
                {line.level === "reached" ? (
                  <Badge tone="red">
                    {limit.enforced ? "limit reached: creating more is refused" : "limit reached"}
                  </Badge>
                ) : line.level === "warning" ? (
                  <Badge tone="amber">{percent} %: nearing the limit</Badge>
                ) : line.used === null ? null : (
                  <span className="text-sm text-gray-600">{percent} %</span>
                )}
              </TD>
            </TR>
          );
        })}
      </TBody>
    </Table>
  );
}
