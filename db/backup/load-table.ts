import { createReadStream } from "node:fs";
import { pipeline } from "node:stream/promises";
import { setTimeout as sleep } from "node:timers/promises";
import { createGunzip } from "node:zlib";
import type postgres from "postgres";
import { quoteIdent } from "./catalog";
import { BackupError } from "./manifest";

/**
 * Loads one table's COPY file into the restore's transaction. When PostgreSQL refuses a row at the end of the
 * COPY (a foreign key or a check: only a backup of a database whose constraints were bypassed has one),
 * postgres.js never settles the stream (porsager/postgres#1173) and the restore would wait for ever. So a second
 * connection watches the restoring backend once the file is read: if its transaction is aborted, that backend is
 * ended — the server rolls everything back — and the restore fails, naming the table.
 */
/** Why a load was stopped: set before the backend is ended, since the transaction fails at once then. */
export type LoadWatch = { refusedTable?: string };

export const refusalOf = (table: string) =>
  new BackupError(
    `the database refused a row of ${table} (a foreign key or a check does not hold): the backup is not ` +
      "consistent, and nothing was restored",
  );

export async function loadTable(
  tx: postgres.TransactionSql,
  watcherUrl: string,
  table: { name: string; columns: string[]; file: string },
  watch: LoadWatch,
) {
  const [{ pid }] = await tx<{ pid: number }[]>`select pg_backend_pid() as pid`;
  const into = await tx
    .unsafe(`copy ${quoteIdent(table.name)} (${table.columns.map(quoteIdent).join(", ")}) from stdin`)
    .writable();
  const source = createReadStream(table.file);
  let read = false;
  source.on("end", () => {
    read = true;
  });
  const loaded = pipeline(source, createGunzip(), into).then(() => "loaded" as const);
  const refused = watchForAbort(
    watcherUrl,
    pid,
    () => read,
    loaded,
    () => {
      watch.refusedTable = table.name;
    },
  );
  let outcome: "loaded" | "aborted";
  try {
    outcome = await Promise.race([loaded, refused]);
  } catch (error) {
    // Ending the backend can close the stream before the watcher answers: the refusal is still the reason.
    if (watch.refusedTable) throw refusalOf(watch.refusedTable);
    throw error;
  }
  if (outcome === "aborted") {
    into.destroy();
    throw refusalOf(table.name);
  }
}

async function watchForAbort(
  url: string,
  pid: number,
  fileRead: () => boolean,
  done: Promise<unknown>,
  onAbort: () => void,
): Promise<"aborted" | "loaded"> {
  let finished = false;
  void done.then(
    () => {
      finished = true;
    },
    () => {
      finished = true;
    },
  );
  const { default: connect } = await import("postgres");
  const watcher = connect(url, { max: 1, onnotice: () => {} });
  try {
    while (!finished) {
      await sleep(500);
      if (finished || !fileRead()) continue;
      const [row] = await watcher<{ state: string | null }[]>`
        select state from pg_stat_activity where pid = ${pid}`;
      if (row?.state === "idle in transaction (aborted)") {
        onAbort();
        await watcher`select pg_terminate_backend(${pid})`;
        return "aborted";
      }
    }
    return "loaded";
  } finally {
    await watcher.end({ timeout: 1 });
  }
}
