import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { entryProblems, isUseServerModule } from "../support/entry-points";

const sources = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(join(dir, e.name)) : /\.(ts|tsx)$/.test(e.name) ? [join(dir, e.name)] : [],
  );

/** The source side of tests/http/entry-points.test.ts (which reads the build's manifests). */
describe("entry points in the source are made by the one builder", () => {
  const files = ["app", "components", "server", "lib", "db"].flatMap(sources);

  it('every export of a "use server" module, and no inline "use server" anywhere', () => {
    const modules = files.filter((f) => isUseServerModule(readFileSync(f, "utf8")));
    expect(modules.length).toBeGreaterThan(10);
    const inline = files.filter(
      (f) => !modules.includes(f) && /["']use server["']/.test(readFileSync(f, "utf8")),
    );
    expect([...modules.flatMap((f) => entryProblems(f, "actions")), ...inline]).toEqual([]);
  });

  it("every HTTP method of a route.ts", () => {
    const routes = files.filter((f) => f.startsWith("app/") && /\/route\.ts$/.test(f));
    expect(routes.length).toBeGreaterThanOrEqual(8);
    expect(routes.flatMap((f) => entryProblems(f, "route"))).toEqual([]);
  });

  it("reports a raw action, a raw handler, a re-export and a builder call without a capability", () => {
    const raw = `"use server";\nexport async function sneaky(org: string) { return org; }\n`;
    expect(entryProblems("a.ts", "actions", undefined, raw)).toEqual(["a.ts: sneaky: raw function"]);
    const handler = `export async function GET() { return new Response("x"); }\nexport const dynamic = "force-dynamic";\n`;
    expect(entryProblems("route.ts", "route", undefined, handler)).toEqual(["route.ts: GET: raw function"]);
    const reexport = `const h = publicRoute({ capability: "public", run }); export { h as POST };\n`;
    expect(entryProblems("route.ts", "route", undefined, reexport)).toHaveLength(1);
    const none = `"use server";\nexport const a = orgAction({ call: "form", input, run });\n`;
    expect(entryProblems("a.ts", "actions", undefined, none)).toEqual(["a.ts: a declares no capability"]);
    const inline = `export default function Page() { async function go() { "use server"; } return null; }\n`;
    expect(entryProblems("page.tsx", "actions", [], inline)[0]).toMatch(/inline "use server"/);
    const spread = `"use server";\nconst m = { call: "form", capability: "members:manage" } as const;\nexport const a = orgAction({ ...m, input, run });\n`;
    expect(entryProblems("a.ts", "actions", undefined, spread)).toEqual([]);
  });
});
