import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { openApiDocument } from "@/lib/openapi";
import { PROBLEM_CODES } from "@/lib/problems";

/** Every route file under app/api/v1 and the methods it exports, as OpenAPI paths. */
function v1Routes(dir = "app/api/v1"): { path: string; methods: string[] }[] {
  const out: { path: string; methods: string[] }[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const at = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...v1Routes(at));
    else if (entry.name === "route.ts") {
      const source = readFileSync(at, "utf8");
      const methods = [...source.matchAll(/export const (GET|POST|PUT|PATCH|DELETE) =/g)].map((m) =>
        m[1].toLowerCase(),
      );
      const path = `/${dir.replace(/\[(\w+)\]/g, "{$1}").replace(/^app\//, "")}`;
      out.push({ path, methods: methods.sort() });
    }
  }
  return out;
}

describe("the OpenAPI document", () => {
  const doc = openApiDocument() as unknown as {
    openapi: string;
    paths: Record<
      string,
      Record<string, { operationId: string; responses: Record<string, { content?: object }> }>
    >;
    components: { schemas: Record<string, { properties?: { code?: { enum?: string[] } } }> };
  };

  it("is OpenAPI 3.1 and names every route and method of the machine API, and nothing else", () => {
    expect(doc.openapi).toBe("3.1.0");
    const routes = v1Routes();
    expect(routes.length).toBeGreaterThanOrEqual(5);
    expect(Object.keys(doc.paths).sort()).toEqual(routes.map((r) => r.path).sort());
    for (const r of routes) expect(Object.keys(doc.paths[r.path]).sort(), r.path).toEqual(r.methods);
  });

  it("gives every operation a unique id and every error the problem shape with the stable codes", () => {
    const ids = Object.values(doc.paths).flatMap((ops) => Object.values(ops).map((o) => o.operationId));
    expect(new Set(ids).size).toBe(ids.length);
    for (const ops of Object.values(doc.paths))
      for (const op of Object.values(ops))
        for (const [status, response] of Object.entries(op.responses))
          if (Number(status) >= 400)
            expect(JSON.stringify(response.content), `${op.operationId} ${status}`).toContain(
              "#/components/schemas/Problem",
            );
    expect(doc.components.schemas.Problem.properties?.code?.enum).toEqual([...PROBLEM_CODES]);
  });

  it("resolves every reference, and describes request bodies by the schemas the routes validate with", () => {
    const refs = [...JSON.stringify(doc).matchAll(/"#\/components\/schemas\/(\w+)"/g)].map((m) => m[1]);
    for (const name of refs) expect(doc.components.schemas, name).toHaveProperty(name);
    const token = doc.components.schemas.ServiceTokenInput as unknown as {
      required: string[];
      properties: Record<string, { maximum?: number; enum?: string[] }>;
    };
    expect(token.required).toEqual(["name", "environments", "access"]);
    expect(token.properties.expiresInDays.maximum).toBe(365);
    expect(token.properties.access.enum).toEqual(["client", "read", "read-write"]);
  });
});
