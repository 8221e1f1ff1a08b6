/**
 * Health while validation patterns are analysed: `GET /api/health` on the running `next start`, one request
 * every 25 ms, first idle, then while ten validation patterns that recheck needs seconds for are submitted
 * at once through the real create-variable server action (as a browser sends it). Pattern analysis runs in
 * worker threads, so health should barely notice; before that, it answered in seconds.
 */
import { readFile } from "node:fs/promises";
import { loadavg } from "node:os";
// @ts-expect-error Next's compiled React client has no type declarations; it encodes action arguments.
import { encodeReply } from "next/dist/compiled/react-server-dom-turbopack/client.node.js";
import { type Result, stats } from "./measure.mts";
import type { BenchServer } from "./server.mts";

const PATTERNS = 10;
const EVERY_MS = 25;
/** Real patterns that recheck's pure backend cannot settle within its limit (a bounded, ambiguous repeat). */
const slowPattern = (i: number) => `^(a|b|ab){1,${31 + i}}c$`;

export type PatternBench = {
  results: Result[];
  /** How each of the ten submissions was answered (e.g. "too complex to prove safe": 10). */
  verdicts: Record<string, number>;
  /** From the ten submissions to the last answer. */
  analysisMs: number;
  /** The machine's 1-minute load average before and after the section (other processes count too). */
  load: [number, number];
};

/** The id `next build` gave a server action, from its manifest. */
async function actionId(file: string, name: string): Promise<string> {
  const manifest = JSON.parse(await readFile(".next/server/server-reference-manifest.json", "utf8")) as {
    node: Record<string, { filename?: string; exportedName?: string }>;
  };
  const found = Object.entries(manifest.node).find(
    ([, a]) => a.filename?.endsWith(file) && a.exportedName === name,
  );
  if (!found) throw new Error(`server action ${name} not found in the build's manifest`);
  return found[0];
}

async function health(base: string) {
  const started = performance.now();
  const response = await fetch(`${base}/api/health`);
  await response.arrayBuffer();
  if (!response.ok) throw new Error(`/api/health: HTTP ${response.status}`);
  return performance.now() - started;
}

/** One health request every EVERY_MS (start to start) until `done()` or `count` samples. */
async function sample(base: string, done: () => boolean, count = Number.POSITIVE_INFINITY) {
  const samples: number[] = [];
  while (!done() && samples.length < count) {
    const next = performance.now() + EVERY_MS;
    samples.push(await health(base));
    const wait = next - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
  }
  return samples;
}

function verdictOf(rsc: string) {
  for (const words of ["too complex to prove safe", "busy", "exponential time", "polynomial time"])
    if (rsc.includes(words)) return words;
  return rsc.includes('"ok":true') ? "accepted" : "other";
}

export async function benchPatterns(
  server: BenchServer,
  org: string,
  idleRequests: number,
  log: (m: string) => void,
): Promise<PatternBench> {
  const id = await actionId("server/actions/variables.ts", "createVariableAction");
  const loadBefore = loadavg()[0];
  const submit = async (i: number) => {
    const form = new FormData();
    form.set("name", `BENCH_PATTERN_${i}`);
    form.set("variableType", "secret");
    form.set("securityClassification", "internal");
    form.set("validationPattern", slowPattern(i));
    const response = await fetch(`${server.base}/o/${org}/variables/new`, {
      method: "POST",
      headers: {
        cookie: server.cookie,
        origin: server.base,
        accept: "text/x-component",
        "next-action": id,
      },
      body: (await encodeReply([org, null, form])) as FormData,
    });
    return verdictOf(await response.text());
  };

  for (let i = 0; i < 5; i++) await health(server.base);
  const idle = stats(await sample(server.base, () => false, idleRequests));
  log(`GET /api/health, idle: median ${idle.median.toFixed(1)} ms, p95 ${idle.p95.toFixed(1)} ms`);

  let pending = PATTERNS;
  const started = performance.now();
  const answers = Promise.all(
    Array.from({ length: PATTERNS }, (_, i) =>
      submit(i).finally(() => {
        pending -= 1;
      }),
    ),
  );
  const loaded = stats(await sample(server.base, () => pending === 0));
  const analysisMs = performance.now() - started;
  const verdicts: Record<string, number> = {};
  for (const verdict of await answers) verdicts[verdict] = (verdicts[verdict] ?? 0) + 1;
  log(
    `GET /api/health while ${PATTERNS} patterns are analysed: median ${loaded.median.toFixed(1)} ms, ` +
      `p95 ${loaded.p95.toFixed(1)} ms (${loaded.runs} requests; answers ${JSON.stringify(verdicts)} ` +
      `in ${(analysisMs / 1000).toFixed(1)} s; load average ${loadBefore.toFixed(1)} → ${loadavg()[0].toFixed(1)})`,
  );
  return {
    results: [
      { name: "GET /api/health, idle", target: 50, ...idle },
      { name: `GET /api/health while ${PATTERNS} validation patterns are analysed`, target: 50, ...loaded },
    ],
    verdicts,
    analysisMs,
    load: [loadBefore, loadavg()[0]],
  };
}
