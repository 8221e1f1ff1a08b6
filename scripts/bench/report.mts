import { readFile, writeFile } from "node:fs/promises";
import os from "node:os";
import type { Result } from "./measure.mts";
import type { PatternBench } from "./patterns.mts";
import type { RotationBench } from "./rotation.mts";

export type Report = {
  quick: boolean;
  runs: number;
  slowRuns: number;
  postgresVersion: string;
  embedded: boolean;
  data: {
    environments: number;
    variables: number;
    values: number;
    auditRows: number;
    generatedSeconds: number;
  };
  server: Result[];
  /** The first import into a freshly migrated database, and the import on the generated (warm) data. */
  fresh: { result: Result; warm?: Result };
  http: Result[];
  sync: Result[];
  syncEnvironment: string;
  deployedBytes: number;
  patterns: PatternBench;
  rotation: RotationBench;
};

const FILE = "docs/benchmarks.md";
const NOTES = "\n## Notes";

const met = (r: Result) =>
  r.target ? `p95 < ${r.target.toLocaleString("en-GB")}: ${r.p95 < r.target ? "met" : "**missed**"}` : "—";
const row = (r: Result) =>
  `| ${r.name} | ${r.median.toFixed(1)} | ${r.p95.toFixed(1)} | ${r.runs} | ${met(r)} |`;
const perSecond = (r: Result) =>
  r.keys ? Math.round(r.keys / (r.median / 1000)).toLocaleString("en-GB") : "—";
const syncRow = (r: Result) =>
  `| ${r.name} | ${r.median.toFixed(1)} | ${r.p95.toFixed(1)} | ${r.runs} | ${perSecond(r)} | ${met(r)} |`;
const n = (x: number) => x.toLocaleString("en-GB");

/**
 * Rewrites docs/benchmarks.md with this run's tables. The hand-written notes (from the first "## Notes"
 * heading on) are kept, so a run never erases the reading of earlier ones; add this run's below them.
 */
export async function writeReport(r: Report) {
  const previous = await readFile(FILE, "utf8").catch(() => "");
  const notes = previous.includes(NOTES) ? previous.slice(previous.indexOf(NOTES)) : "";
  const cpu = os.cpus();
  const report = `# Benchmarks

Produced by \`npm run bench\`${r.quick ? " --quick" : ""} on ${new Date().toISOString().slice(0, 10)}.

- Machine: ${cpu[0]?.model ?? "unknown CPU"}, ${cpu.length} cores, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB RAM, ${os.platform()} ${os.release()}
- Node ${process.version}; ${r.postgresVersion.split(",")[0]}${r.embedded ? " (embedded, fsync off)" : ""}
- Data: 1 organization, ${r.data.environments} environments, ${n(r.data.variables)} variables, ${n(r.data.values)} encrypted values (AES-256-GCM, real keys), ${n(r.data.auditRows)} audit rows; generated set-based in ${r.data.generatedSeconds.toFixed(1)} s (values encrypted in Node and inserted with \`unnest\`, triggers off for the bulk load; the generated audit rows are not hash-chained)
- Each figure: a warm-up, then ${r.runs} runs (${r.slowRuns} for export, import and the deployment sync); times in milliseconds.
- At scale (1,000 organizations, the largest 100,000 variables × 20 environments): [benchmarks-large.md](benchmarks-large.md), \`npm run bench -- --scale large\`.

## Server time (the console's query and mutation functions, connected as the app role, RLS on)

| operation | median | p95 | runs | target |
|---|---|---|---|---|
${r.server.map(row).join("\n")}

## The first import into a freshly migrated database

| operation | median | p95 | runs | target |
|---|---|---|---|---|
${row(r.fresh.result)}

A new database on the same server for every run, migrated and never analysed; an organization; six small
imports on the one connection (a console session's first edits: the triggers plan on nearly empty tables);
then 10,000 new keys, preview and apply, each creating its variable, value, history and audit rows.
${r.fresh.warm ? `Median ${(r.fresh.result.median / r.fresh.warm.median).toFixed(2)} × the warm import above (${r.fresh.warm.median.toFixed(1)} ms, same run; it writes 10,000 values into existing, analysed tables of 10,000 variables × 20 environments).` : ""}

## HTTP time to first byte (the app as \`npm start\` serves it, signed in, loopback)

| request | median | p95 | runs | target |
|---|---|---|---|---|
${r.http.map(row).join("\n")}

The matrix page itself is a shell; its grid fetches \`/api/o/[org]/matrix\` one page (100 rows) at a time for
the rows in view (virtualized), so scrolling through 10,000 rows never loads them all at once.

## Deployment sync (\`${r.syncEnvironment}\`, ${n(r.data.variables)} keys, to the reference receiver over HTTP on loopback)

| operation | median | p95 | runs | keys/s (median) | target |
|---|---|---|---|---|---|
${r.sync.map(syncRow).join("\n")}

\`pushToTarget\` and \`scanTarget\` as the console calls them: values decrypted in memory, hashed under the
target's secret, the receiver's state read, only differing keys sent, the result verified by hash, the sync
and drift rows and audit written. A scan also decrypts the sensitive (confidential or wedding-critical) values
of the production and disaster-recovery environments, to recognise a production secret deployed to a lower
tier. The receiver (\`scripts/target-receiver.mts\`) runs in the bench's own process and writes its \`.env\`
file (${(r.deployedBytes / 1024).toFixed(0)} KiB for ${n(r.data.variables)} keys) atomically, with fsync.

## Health while validation patterns are analysed (the app as \`npm start\` serves it, loopback)

| request | median | p95 | requests | target |
|---|---|---|---|---|
${r.patterns.results.map(row).join("\n")}

One \`GET /api/health\` every 25 ms (full response), first idle, then while ten validation patterns that
recheck needs seconds for are submitted at once through the create-variable server action, as a browser
sends it; sampling stops when the last submission is answered. The analysis runs in worker threads with a
hard time limit (\`lib/pattern-pool.ts\`), so requests keep being served meanwhile.

- Answers: ${Object.entries(r.patterns.verdicts)
    .map(([verdict, count]) => `${count} × "${verdict}"`)
    .join(", ")}; the last after ${(r.patterns.analysisMs / 1000).toFixed(1)} s.
- Machine load (1-minute average; other processes count): ${r.patterns.load[0].toFixed(1)} before and ${r.patterns.load[1].toFixed(1)} after this section, on ${os.cpus().length} cores.

## Data-key rotation (${n(r.rotation.values)} values)

| operation | median | p95 | runs | values/s (median) | target |
|---|---|---|---|---|---|
${[r.rotation.rotation, r.rotation.raw].map((x) => syncRow({ ...x, keys: r.rotation.values })).join("\n")}

The rotation is \`startRotation\` and the job's own loop (\`runRotation\`), each run to the next version:
batches of 1,000 rows locked, re-encrypted and written back with the progress figures in one transaction,
then the hash swap (every value hash moved to the new hash key in one transaction). Median rotation ${(r.rotation.rotation.median / r.rotation.raw.median).toFixed(1)} × the raw AES-GCM time of the same run (${(r.rotation.raw.median / 1000).toFixed(2)} s): the rest is the database.
`;
  await writeFile(FILE, report + notes);
}
