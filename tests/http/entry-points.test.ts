import { existsSync, statSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { entryProblems } from "../support/entry-points";
import { listActions } from "./actions";
import { listRoutes } from "./routes";

/**
 * Every server action and route handler of the production build (its manifests) is made by the one builder
 * (server/entry/) with a declared capability: a raw `"use server"` function or a raw route handler fails here.
 */
describe("every entry point of the build declares its capability through the builder", () => {
  it("server actions (server-reference-manifest.json)", () => {
    const actions = listActions();
    expect(actions.length).toBeGreaterThan(30);
    const byFile = new Map<string, string[]>();
    for (const a of actions) byFile.set(a.filename, [...(byFile.get(a.filename) ?? []), a.exportedName]);
    const problems = [...byFile].flatMap(([file, names]) => entryProblems(file, "actions", names));
    expect(problems).toEqual([]);
  });

  it("route handlers (app-paths-manifest.json)", () => {
    const routes = listRoutes();
    // A static metadata file (app/icon.svg) is built as a route with no handler of ours.
    const handlers = routes.filter(
      ({ template }) => !statSync(`app${template}`, { throwIfNoEntry: false })?.isFile(),
    );
    expect(handlers.length).toBeGreaterThanOrEqual(8);
    const problems = handlers.flatMap(({ source }) =>
      source && existsSync(source)
        ? entryProblems(source, "route")
        : [`${source}: no source for a built route`],
    );
    expect(problems).toEqual([]);
  });
});
