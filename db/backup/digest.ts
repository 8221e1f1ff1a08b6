import { createHash } from "node:crypto";
import { Transform } from "node:stream";
import type postgres from "postgres";

/** Passes COPY text through, counting rows (one newline each: text format escapes newlines in values) and hashing. */
export function copyDigest() {
  const hash = createHash("sha256");
  let rows = 0;
  const update = (chunk: Buffer) => {
    hash.update(chunk);
    for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) rows++;
  };
  const stream = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      update(chunk);
      done(null, chunk);
    },
  });
  return { stream, update, result: () => ({ rows, sha256: hash.digest("hex") }) };
}

/**
 * Runs `COPY … TO STDOUT` and hands every chunk to `onChunk` as it arrives (flowing mode, never paused).
 * postgres.js 3.4 pauses the connection's socket when a COPY chunk overfills the stream's buffer and resumes it
 * only from the stream's `read()`; when the end of the COPY arrived in the same packet, the stream ends and
 * `read()` is never called again, so the socket stays paused and the next query on the connection never gets
 * its answer (the hang of porsager/postgres #499 and #917). Calling `read()` once more after the end resumes it
 * (a no-op when it was not paused).
 */
export async function copyOut(
  sql: postgres.Sql | postgres.TransactionSql,
  statement: string,
  onChunk: (chunk: Buffer) => void,
) {
  const out = await sql.unsafe(statement).readable();
  await new Promise<void>((resolve, reject) => {
    out.on("data", (chunk: Buffer) => onChunk(chunk));
    out.once("end", resolve);
    out.once("error", reject);
  });
  (out as unknown as { _read: (size: number) => void })._read(0);
}
