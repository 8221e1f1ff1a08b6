/**
 * `npm test`: the whole suite in order, stopping at the first failure — lint and typecheck, unit tests,
 * database integration tests (real PostgreSQL), the production build, HTTP tests against that build (the
 * fuzz over every action and route among them), then Playwright end-to-end tests.
 */
import { spawnSync } from "node:child_process";

const steps: [string, string[]][] = [
  ["check (lint + typecheck)", ["npm", "run", "check"]],
  ["unit tests", ["npx", "vitest", "run", "--project", "unit"]],
  ["database integration tests", ["npx", "vitest", "run", "--project", "db"]],
  ["production build", ["npx", "next", "build"]],
  ["HTTP tests against the build", ["npx", "vitest", "run", "--project", "http"]],
  ["end-to-end tests", ["npx", "playwright", "test"]],
];

const started = performance.now();
for (const [name, [cmd, ...args]] of steps) {
  const t = performance.now();
  console.log(`\n▶ ${name}`);
  const result = spawnSync(cmd, args, { stdio: "inherit", env: process.env });
  const secs = ((performance.now() - t) / 1000).toFixed(1);
  if (result.status !== 0) {
    console.error(`\n✖ ${name} failed after ${secs}s`);
    process.exit(result.status ?? 1);
  }
  console.log(`✔ ${name} (${secs}s)`);
}
console.log(`\nAll checks passed in ${((performance.now() - started) / 1000).toFixed(0)}s`);
