/**
 * Machine access (issue 14): one environment of 500 values read with a service token through
 * `GET /api/v1/environments/{name}/values`, against `GET /api/health` on the same server in the same run — one
 * client, then 8 at once — and the CLI's `run -- true` against a bare `node -e ''`.
 */
import { spawnSync } from "node:child_process";
import { type TenantContext, withContext } from "@/db/context";
import { environmentRefs } from "@/db/repos/grants";
import { serviceTokenInput } from "@/lib/validation/tokens";
import { createServiceToken } from "@/server/tokens/service-tokens";
import { setValue } from "@/server/values/values";
import { createVariable } from "@/server/variables/variables";
import { stats } from "./measure.mts";
import type { BenchServer } from "./server.mts";

export type MachineFigure = {
  name: string;
  perSecond: number;
  median: number;
  p95: number;
  requests: number;
};
export type MachineBench = {
  values: number;
  figures: MachineFigure[];
  ratios: string[];
  cli: { run: number; node: number; runs: number };
};

/** `clients` loops each sending requests for `ms`; the latencies of all, and requests per second overall. */
async function load(clients: number, ms: number, send: () => Promise<Response>) {
  const samples: number[] = [];
  const end = performance.now() + ms;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (performance.now() < end) {
        const t = performance.now();
        const response = await send();
        await response.arrayBuffer();
        if (!response.ok) throw new Error(`the bench got ${response.status} from ${response.url}`);
        samples.push(performance.now() - t);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  return { ...stats(samples), perSecond: samples.length / seconds, requests: samples.length };
}

/** Median wall time of a command, in milliseconds. */
function wall(runs: number, command: string, args: string[], env: NodeJS.ProcessEnv) {
  const samples: number[] = [];
  for (let i = 0; i <= runs; i++) {
    const t = performance.now();
    const ran = spawnSync(command, args, { env, stdio: "ignore" });
    if (ran.status !== 0) throw new Error(`${command} ${args.join(" ")} exited ${ran.status}`);
    if (i > 0) samples.push(performance.now() - t);
  }
  return stats(samples).median;
}

export async function benchMachine(
  server: BenchServer,
  input: { environment: string; token: string; values: number; seconds: number; cliRuns: number },
  log: (m: string) => void,
): Promise<MachineBench> {
  const health = () => fetch(`${server.base}/api/health`);
  const values = () =>
    fetch(`${server.base}/api/v1/environments/${input.environment}/values`, {
      headers: { authorization: `Bearer ${input.token}` },
    });
  const check = await (await values()).json();
  if (Object.keys(check).length !== input.values)
    throw new Error(`the token read ${Object.keys(check).length} values, not ${input.values}`);
  const figures: MachineFigure[] = [];
  const ratios: string[] = [];
  for (const clients of [1, 8]) {
    await load(clients, 1_000, health);
    const h = await load(clients, input.seconds * 1000, health);
    await load(clients, 1_000, values);
    const v = await load(clients, input.seconds * 1000, values);
    const label = clients === 1 ? "one client" : `${clients} clients at once`;
    figures.push(
      { name: `GET /api/health, ${label}`, ...h },
      { name: `GET …/values (${input.values} values, json), ${label}`, ...v },
    );
    const ratio = v.perSecond / h.perSecond;
    ratios.push(`${label}: ${ratio.toFixed(2)}× the health check's requests per second (goal ≥ 0.7×)`);
    log(
      `${label}: health ${h.perSecond.toFixed(0)}/s (median ${h.median.toFixed(1)} ms, p95 ${h.p95.toFixed(1)} ms), ` +
        `values ${v.perSecond.toFixed(0)}/s (median ${v.median.toFixed(1)} ms, p95 ${v.p95.toFixed(1)} ms): ${ratio.toFixed(2)}×`,
    );
  }
  const env = { ...process.env, RINGBEARER_URL: server.base, RINGBEARER_TOKEN: input.token };
  const node = wall(input.cliRuns, process.execPath, ["-e", ""], env);
  const run = wall(
    input.cliRuns,
    process.execPath,
    ["cli/ringbearer.mjs", "run", "-e", input.environment, "--", "true"],
    env,
  );
  log(
    `CLI run -- true: median ${run.toFixed(0)} ms; bare node: ${node.toFixed(0)} ms; the CLI's own: ${(run - node).toFixed(0)} ms`,
  );
  return { values: input.values, figures, ratios, cli: { run, node, runs: input.cliRuns } };
}

/**
 * `npm run bench -- --only=machine`: 500 values in staging of the bench organization, a read token, then
 * benchMachine against the app as `npm start` serves it (the per-token limit lifted: this measures throughput).
 */
export async function machineOnly(
  ctx: TenantContext,
  quick: boolean,
  serve: (fn: (server: BenchServer) => Promise<MachineBench>) => Promise<MachineBench>,
  log: (m: string) => void,
) {
  const values = 500;
  const token = await withContext(ctx, async (tx) => {
    const staging = (await environmentRefs(tx, ctx)).find((e) => e.name === "staging");
    if (!staging) throw new Error("no staging environment");
    for (let i = 0; i < values; i++) {
      const v = await createVariable(tx, ctx, {
        name: `MACHINE_${String(i).padStart(3, "0")}`,
        variableType: "configuration",
        securityClassification: "internal",
        isRequired: false,
        isWeddingCritical: false,
        tags: [],
      });
      await setValue(tx, ctx, {
        variableId: v.id,
        environmentId: staging.id,
        value: `value-${i}-${"x".repeat(40)}`,
        expectedVersion: 0,
      });
    }
    const input = serviceTokenInput.parse({ name: "bench", environments: ["staging"], access: "read" });
    return (await createServiceToken(tx, ctx, input)).token;
  });
  process.env.RINGBEARER_TOKEN_RATE_LIMIT = "999999";
  return serve((server) =>
    benchMachine(
      server,
      { environment: "staging", token, values, seconds: quick ? 3 : 10, cliRuns: quick ? 5 : 20 },
      log,
    ),
  );
}
