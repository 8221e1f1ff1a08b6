import "server-only";
import { toAppError } from "@/db/errors";
import { AppError } from "@/lib/errors";
import { log } from "./log";

export type DownloadFormat = "csv" | "json";

/**
 * A download streamed in batches (keyset pages), such that a failure is never a silent partial file:
 * - the first batch is read before the response exists, so a failure there is an ordinary JSON error with
 *   its status (the route builder, `orgRoute`, answers it) — never a 200 with a truncated body;
 * - a failure after the first byte is logged and ends the body with a visible marker: CSV gets a last line
 *   `# export failed: <code>`, JSON an element `{"error":{…}}` and no closing bracket, so the file does not
 *   parse as complete.
 */
export async function batchedDownload<T>(opts: {
  format: DownloadFormat;
  /** The first batch (already read when this is called, e.g. in the transaction that audits the export). */
  first: T[];
  batchSize: number;
  /** The batch after the given last row; an empty or short batch ends the download. */
  next: (last: T) => Promise<T[]>;
  csvHeader: string;
  csvRow: (row: T) => string;
  headers: Record<string, string>;
  /** Logged with a failure (never values). */
  context: Record<string, unknown>;
}): Promise<Response> {
  const encoder = new TextEncoder();
  let batch = opts.first;
  let wrote = 0;
  let done = false;
  const emit = (controller: ReadableStreamDefaultController<Uint8Array>, rows: T[]) => {
    for (const row of rows) {
      const chunk = opts.format === "csv" ? opts.csvRow(row) : `${wrote ? "," : ""}\n${JSON.stringify(row)}`;
      wrote++;
      controller.enqueue(encoder.encode(chunk));
    }
  };
  const finish = (controller: ReadableStreamDefaultController<Uint8Array>) => {
    if (opts.format === "json") controller.enqueue(encoder.encode("\n]\n"));
    controller.close();
    done = true;
  };
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(encoder.encode(opts.format === "csv" ? opts.csvHeader : "["));
      emit(controller, batch);
      if (batch.length < opts.batchSize) finish(controller);
    },
    async pull(controller) {
      if (done) return;
      try {
        batch = await opts.next(batch[batch.length - 1]);
        emit(controller, batch);
        if (batch.length < opts.batchSize) finish(controller);
      } catch (raw) {
        const mapped = toAppError(raw);
        const code = mapped instanceof AppError ? mapped.code : "internal";
        log.error({ err: raw, ...opts.context, rowsWritten: wrote }, "export failed after it started");
        const marker =
          opts.format === "csv"
            ? `# export failed: ${code}\r\n`
            : `${wrote ? "," : ""}\n${JSON.stringify({ error: { code, message: `The export failed after ${wrote} rows: it is incomplete.` } })}\n`;
        controller.enqueue(encoder.encode(marker));
        controller.close();
        done = true;
      }
    },
  });
  return new Response(stream, { headers: opts.headers });
}
