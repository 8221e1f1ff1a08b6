import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

const root = fileURLToPath(new URL(".", import.meta.url));

export default defineConfig({
  resolve: { alias: { "@": root, "server-only": `${root}tests/support/server-only.ts` } },
  test: {
    projects: [
      {
        extends: true,
        // One module graph for all files (like the db suite): 62 s → 42 s; no unit test relies on a fresh one.
        test: { name: "unit", include: ["tests/unit/**/*.test.ts"], environment: "node", isolate: false },
      },
      {
        extends: true,
        test: {
          name: "db",
          include: ["tests/db/**/*.test.ts"],
          // The 200,000-value rotation runs as a project of its own (db-scale), beside this one in `npm test`.
          exclude: ["tests/db/key-rotation-scale.test.ts"],
          environment: "node",
          globalSetup: ["tests/db/global-setup.ts"],
          setupFiles: ["tests/db/setup-env.ts"],
          testTimeout: 30_000,
          hookTimeout: 120_000,
          fileParallelism: false,
          // One after another in one worker that imports the app once: on Node 22, importing it afresh for
          // each of the 60 files took 153 s of the suite's 294 s (99 s in all without). Each file still gets
          // its own environment (setup-env.ts runs before each), its own organizations and users, and no file
          // keeps module state another relies on.
          isolate: false,
        },
      },
      {
        extends: true,
        test: {
          name: "db-scale",
          include: ["tests/db/key-rotation-scale.test.ts"],
          environment: "node",
          globalSetup: ["tests/db/global-setup.ts"],
          setupFiles: ["tests/db/setup-env.ts"],
          testTimeout: 30_000,
          hookTimeout: 120_000,
        },
      },
      {
        extends: true,
        test: {
          name: "http",
          include: ["tests/http/**/*.test.ts"],
          exclude: ["tests/http/database-restart.test.ts", "tests/http/lifecycle.test.ts"],
          environment: "node",
          globalSetup: ["tests/http/global-setup.ts"],
          setupFiles: ["tests/db/setup-env.ts"],
          testTimeout: 60_000,
          hookTimeout: 180_000,
          fileParallelism: false,
        },
      },
      {
        // Starting and stopping servers: mostly waiting, so `npm test` runs it beside the end-to-end tests, on a
        // throwaway database and app of its own (the http project's setup, run again).
        extends: true,
        test: {
          name: "lifecycle",
          include: ["tests/http/lifecycle.test.ts"],
          environment: "node",
          globalSetup: ["tests/http/global-setup.ts"],
          setupFiles: ["tests/db/setup-env.ts"],
          testTimeout: 120_000,
          hookTimeout: 180_000,
        },
      },
      {
        // Its own PostgreSQL and production server (it stops the database): no shared setup, and `npm test`
        // runs it beside the end-to-end tests.
        extends: true,
        test: {
          name: "restart",
          include: ["tests/http/database-restart.test.ts"],
          environment: "node",
          testTimeout: 180_000,
          hookTimeout: 180_000,
        },
      },
    ],
  },
});
