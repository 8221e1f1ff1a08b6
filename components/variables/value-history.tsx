import { Table, TBody, TD, TH, THead, TR } from "@/components/ui/table";

type Item = {
  environment: string;
  version: number;
  operation: string;
  hash: string | null;
  note: string | null;
  at: string;
  createdBy: string | null;
};

/** Every version of this variable's values: who, when, which hash — never the value. */
export function ValueHistory({ items }: { items: Item[] }) {
  return (
    <section aria-labelledby="history-heading" className="space-y-3">
      <h2 id="history-heading" className="text-lg font-semibold">
        History
      </h2>
      {items.length === 0 ? (
        <p className="text-sm text-gray-500">No values yet.</p>
      ) : (
        <Table aria-label="Value history">
          <THead>
            <TR>
              <TH>When</TH>
              <TH>Environment</TH>
              <TH>Version</TH>
              <TH>Change</TH>
              <TH>Hash</TH>
              <TH>By</TH>
              <TH>Note</TH>
            </TR>
          </THead>
          <TBody>
            {items.map((h) => (
              <TR key={`${h.environment}-${h.version}`}>
                <TD className="whitespace-nowrap">{h.at}</TD>
                <TD>{h.environment}</TD>
                <TD>v{h.version}</TD>
                <TD>{h.operation === "delete" ? "deleted" : "set"}</TD>
                <TD className="font-mono text-xs">{h.hash ?? "—"}</TD>
                <TD>{h.createdBy ?? "direct SQL"}</TD>
                <TD className="text-gray-600">{h.note ?? ""}</TD>
              </TR>
            ))}
          </TBody>
        </Table>
      )}
    </section>
  );
}
