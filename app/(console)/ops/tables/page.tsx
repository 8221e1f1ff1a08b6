import { SizeChart } from "@/components/ops/size-chart";
import { PageHeader } from "@/components/ui/page-header";
import { Table, TBody, TD, TH, THead, TR } from "@/components/ui/table";
import { formatBytes } from "@/lib/ops/units";
import { storageOverview } from "@/server/ops/database";
import { currentOperator } from "@/server/session";

export const metadata = { title: "Tables" };

/** Every table of the app's schemas, largest first: data, indexes, TOAST, rows and dead rows. */
export default async function OpsTablesPage() {
  const user = await currentOperator();
  if (!user) return null;
  const { tables, history } = await storageOverview({ userId: user.id });
  return (
    <div className="max-w-6xl space-y-6">
      <PageHeader
        title="Tables"
        description="Sizes as PostgreSQL reports them. Bloat is estimated from dead rows (space vacuum will reuse), not measured page by page."
      />
      <section aria-labelledby="growth" className="space-y-2">
        <h2 id="growth" className="text-lg font-semibold">
          Growth
        </h2>
        <SizeChart points={history} />
      </section>
      <Table aria-label="Table sizes">
        <THead>
          <TR>
            <TH>Table</TH>
            <TH className="text-right">Rows (est.)</TH>
            <TH className="text-right">Data</TH>
            <TH className="text-right">Indexes</TH>
            <TH className="text-right">TOAST</TH>
            <TH className="text-right">Total</TH>
            <TH className="text-right">Dead rows</TH>
            <TH className="text-right">Bloat (est.)</TH>
            <TH className="text-right">7 days</TH>
          </TR>
        </THead>
        <TBody>
          {tables.map((t) => (
            <TR key={`${t.schema}.${t.table}`}>
              <TD className="break-all">{t.schema === "public" ? t.table : `${t.schema}.${t.table}`}</TD>
              <TD className="text-right">{Math.round(t.estimatedRows).toLocaleString("en-GB")}</TD>
              <TD className="text-right">{formatBytes(t.tableBytes)}</TD>
              <TD className="text-right">{formatBytes(t.indexBytes)}</TD>
              <TD className="text-right">{formatBytes(t.toastBytes)}</TD>
              <TD className="text-right font-medium">{formatBytes(t.totalBytes)}</TD>
              <TD className="text-right">{t.deadTuples.toLocaleString("en-GB")}</TD>
              <TD className="text-right">{formatBytes(t.bloatBytes)}</TD>
              <TD className="text-right">
                {t.weekGrowthBytes === null
                  ? "—"
                  : `${t.weekGrowthBytes >= 0 ? "+" : "−"}${formatBytes(Math.abs(t.weekGrowthBytes))}`}
              </TD>
            </TR>
          ))}
        </TBody>
      </Table>
    </div>
  );
}
