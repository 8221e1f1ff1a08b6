import { readFile, writeFile } from "node:fs/promises";
import os from "node:os";
import type { Result } from "./measure.mts";

export type LargeOrg = {
  slug: string;
  variables: number;
  /** The environment read whole by the machine read (a value for every variable). */
  fullEnv: string;
  counts: { variables: number; values: number; environments: number };
};
/** One operation measured on the big organization and on the 10,000-variable one, in the same run. */
export type LargePair = { name: string; target?: number; big: Result; base: Result };

const FILE = "docs/benchmarks-large.md";
const NOTES = "\n## Notes";
const n = (x: number) => x.toLocaleString("en-GB");
const ms = (x: number) => x.toFixed(1);
const met = (r: Result, target?: number) => (target ? (r.p95 < target ? "met" : "**missed**") : "—");

/**
 * Rewrites docs/benchmarks-large.md with this run's figures; the hand-written notes (from the first "## Notes"
 * heading on) are kept, as scripts/bench/report.mts keeps those of docs/benchmarks.md.
 */
export async function writeLargeReport(r: {
  quick: boolean;
  runs: number;
  postgresVersion: string;
  embedded: boolean;
  orgs: LargeOrg[];
  installation: Record<string, number>;
  generation: { part: string; seconds: number }[];
  pairs: LargePair[];
  firstReads: string[];
  seconds: number;
}) {
  const previous = await readFile(FILE, "utf8").catch(() => "");
  const notes = previous.includes(NOTES) ? previous.slice(previous.indexOf(NOTES)) : "";
  const cpu = os.cpus();
  const [big, base] = r.orgs;
  const generated = r.generation.reduce((sum, g) => sum + g.seconds, 0);
  const rows = r.pairs.map(
    (p) =>
      `| ${p.name} | ${ms(p.big.median)} | ${ms(p.big.p95)} | ${met(p.big, p.target)} | ${ms(p.base.median)} | ${ms(p.base.p95)} | ${met(p.base, p.target)} | ${(p.big.median / p.base.median).toFixed(2)} × |`,
  );
  const counts = Object.entries(r.installation).map(([what, count]) =>
    what.endsWith("bytes")
      ? `| ${what.replace(" bytes", "")} | ${(count / 2 ** 20).toFixed(0)} MiB |`
      : `| ${what} | ${n(count)} |`,
  );
  const orgLine = (o: LargeOrg) =>
    `\`${o.slug}\`: ${n(o.counts.variables)} variables, ${n(o.counts.environments)} environments, ${n(o.counts.values)} values`;
  const report = `# Benchmarks at scale

## At scale: \`--scale large\`

Produced by \`npm run bench -- --scale large${r.quick ? " --quick" : ""}\` on ${new Date().toISOString().slice(0, 10)}; the whole run (a fresh database migrated, generation, measures, the app started twice) took ${(r.seconds / 60).toFixed(1)} min. Figures at 10,000 variables with everything else: [benchmarks.md](benchmarks.md).

- Machine: ${cpu[0]?.model ?? "unknown CPU"}, ${cpu.length} cores, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB RAM, ${os.platform()} ${os.release()}
- Node ${process.version}; ${r.postgresVersion.split(",")[0]}${r.embedded ? " (embedded, fsync off)" : ""}
- Installation: ${n(r.installation.organizations)} organizations. ${orgLine(big)} (the big one); ${orgLine(base)} (the 10,000-variable one, for the ratio: same database, same run); the others small (3 environments, 20 variables each). After the measures each of the two has a 21st environment, \`machine\`, of 500 values.
- Generated in ${generated.toFixed(1)} s: ${r.generation.map((g) => `${g.part} ${g.seconds.toFixed(1)} s`).join("; ")}. The two large organizations as \`scripts/bench/generate.mts\` makes the bench's (values encrypted and hashed in Node with the organization's real keys, inserted with \`unnest\`, per-row triggers off; no audit rows, no value versions; from the 100,000th variable on, whose name generate.mts would repeat, through the console's services); the small ones set-based in SQL (\`scripts/bench/large-fill.mts\`): owner, membership, keys, environments, the chain head, values with their first versions and an audit row each — their ciphertext, wrapped keys, hashes and password hashes are placeholders of realistic length (never read), and no generated audit row is hash-chained.
- Each figure: a warm-up, then ${r.runs} runs; times in milliseconds; the ratio is the big organization's median over the 10,000-variable one's, both from this run.

| operation | ${n(big.variables)} × 20: median | p95 | p95 < 100 ms | ${n(base.variables)} × 20: median | p95 | p95 < 100 ms | ratio of medians |
|---|---|---|---|---|---|---|---|
${rows.join("\n")}

The matrix rows are the console's \`matrixPage\` (\`db/repos/matrix.ts\`) as its API route calls it: connected as the
app role, RLS on, one page of 100 variables with every cell's state and the filtered total. "Matches" is that total
in the big and in the 10,000-variable organization: \`VAR_12\` matches nothing in the smaller one (its names run
\`VAR_00001\` to \`VAR_10000\`), so \`VAR_012\` (100 names in each) is measured beside it for a like-for-like ratio.

The machine reads are \`GET /api/v1/environments/{name}/values\` with a read service token, against the app as
\`npm start\` serves it (loopback, one client, the body read to its end): \`${big.fullEnv}\` holds a value for every variable
of its organization, \`machine\` 500. With the read cache on (the default: \`RINGBEARER_READ_CACHE_MB\` 64), a
read after the first answers the kept body after the token's checks and its audit row; the app was started again
with the cache off (\`RINGBEARER_READ_CACHE_MB=0\`) so every read decrypts. The first read of each, cache on
(uncached, one sample): ${r.firstReads.join("; ")}.

| installation | rows |
|---|---|
${counts.join("\n")}
`;
  await writeFile(FILE, report + notes);
}
