import { Table, TBody, TD, TH, THead, TR } from "@/components/ui/table";
import { RestoreVersionButton } from "./restore-version-button";

type Item = {
  environmentId: string;
  environment: string;
  version: number;
  operation: string;
  hash: string | null;
  note: string | null;
  at: string;
  createdBy: string | null;
};

type Restore = {
  org: string;
  variableId: string;
  /**
   * Per environment id: the value's current version (0 = not set), whether the caller may change it now, and
   * whether that change waits for a reviewer's approval.
   */
  current: Record<string, { version: number; writable: boolean; approval: boolean }>;
};

/** Every version of this variable's values: who, when, which hash — never the value. Earlier ones restorable. */
export function ValueHistory({ items, restore }: { items: Item[]; restore?: Restore }) {
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
              {restore ? <TH className="sr-only">Actions</TH> : null}
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
                {restore ? (
                  <TD>
                    {h.operation === "set" &&
                    restore.current[h.environmentId]?.writable &&
                    restore.current[h.environmentId]?.version !== h.version ? (
                      <RestoreVersionButton
                        org={restore.org}
                        variableId={restore.variableId}
                        environment={{ id: h.environmentId, name: h.environment }}
                        version={h.version}
                        currentVersion={restore.current[h.environmentId]?.version ?? 0}
                        approval={restore.current[h.environmentId]?.approval ?? false}
                      />
                    ) : null}
                  </TD>
                ) : null}
              </TR>
            ))}
          </TBody>
        </Table>
      )}
    </section>
  );
}
