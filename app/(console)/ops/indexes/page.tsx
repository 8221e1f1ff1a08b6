import { Card } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { Table, TBody, TD, TH, THead, TR } from "@/components/ui/table";
import { formatDateTime } from "@/lib/format";
import { formatBytes } from "@/lib/ops/units";
import { indexOverview } from "@/server/ops/database";
import { currentOperator } from "@/server/session";

export const metadata = { title: "Indexes" };

function Listing({ title, empty, items }: { title: string; empty: string; items: string[] }) {
  return (
    <section aria-label={title} className="space-y-2">
      <h2 className="text-lg font-semibold">
        {title} <span className="text-sm font-normal text-gray-500">({items.length})</span>
      </h2>
      {items.length === 0 ? (
        <p className="text-sm text-gray-600">{empty}</p>
      ) : (
        <Card>
          <ul className="divide-y divide-gray-100 text-sm">
            {items.map((i) => (
              <li key={i} className="break-all px-4 py-2">
                {i}
              </li>
            ))}
          </ul>
        </Card>
      )}
    </section>
  );
}

/** Unused, duplicate and invalid indexes, large tables read by sequential scans, unindexed foreign keys, slow statements. */
export default async function OpsIndexesPage() {
  const user = await currentOperator();
  if (!user) return null;
  const ix = await indexOverview({ userId: user.id });
  const since = ix.statsSince ? formatDateTime(ix.statsSince, "UTC", { zone: true }) : "the server started";
  return (
    <div className="max-w-6xl space-y-8">
      <PageHeader
        title="Indexes"
        description={`Use is counted since the statistics were last reset (${since}). An index unused on a replica may still serve the primary, and the reverse.`}
      />
      <Listing
        title="Unused indexes"
        empty="Every index that does not enforce uniqueness has been used."
        items={ix.unused.map((i) => `${i.table}.${i.index} — ${formatBytes(i.bytes)}, never scanned`)}
      />
      <Listing
        title="Duplicate indexes"
        empty="No two indexes of a table are the same."
        items={ix.duplicates.map((i) => `${i.table}.${i.index} is the same as ${i.duplicateOf}`)}
      />
      <Listing
        title="Invalid indexes"
        empty="No index is invalid."
        items={ix.invalid.map(
          (i) => `${i.table}.${i.index} — left invalid by a failed build; drop and build it again`,
        )}
      />
      <Listing
        title="Large tables read by sequential scans"
        empty="No large table is read more by sequential scans than by index."
        items={ix.seqScans.map(
          (t) =>
            `${t.table} — ${t.seqScans.toLocaleString("en-GB")} sequential against ${t.indexScans.toLocaleString("en-GB")} index scans, ${Math.round(t.liveTuples).toLocaleString("en-GB")} rows`,
        )}
      />
      <Listing
        title="Foreign keys without an index"
        empty="Every foreign key leads an index."
        items={ix.unindexedForeignKeys.map((f) => `${f.table} (${f.columns.join(", ")}) — ${f.constraint}`)}
      />
      <section aria-labelledby="statements" className="space-y-2">
        <h2 id="statements" className="text-lg font-semibold">
          Slow statements
        </h2>
        {ix.statements.available ? (
          <Table aria-label="Slowest statements">
            <THead>
              <TR>
                <TH>Statement</TH>
                <TH className="text-right">Calls</TH>
                <TH className="text-right">Mean ms</TH>
                <TH className="text-right">Total ms</TH>
              </TR>
            </THead>
            <TBody>
              {ix.statements.slowest.map((s) => (
                <TR key={s.query}>
                  <TD className="max-w-xl">
                    <code className="line-clamp-3 break-all text-xs">{s.query}</code>
                  </TD>
                  <TD className="text-right">{s.calls.toLocaleString("en-GB")}</TD>
                  <TD className="text-right">{s.meanMs.toFixed(1)}</TD>
                  <TD className="text-right">{Math.round(s.totalMs).toLocaleString("en-GB")}</TD>
                </TR>
              ))}
            </TBody>
          </Table>
        ) : (
          <p role="status" className="text-sm text-gray-600">
            Not available: {ix.statements.reason}
          </p>
        )}
      </section>
    </div>
  );
}
