import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";
import { ACTION_BODY_LIMIT_BYTES } from "@/lib/limits";
import { type Fields, fetchActionBodyProblem, formActionBodyProblem } from "@/lib/server-action-body";
import { isWellFormedUrl } from "@/server/request-guard";

const bundler = existsSync(".next/turbopack") ? "turbopack" : "webpack";
const name = `react-server-dom-${bundler}`;
const { encodeReply } = createRequire(import.meta.url)(
  `next/dist/compiled/${name}/cjs/${name}-client.node.production.js`,
) as { encodeReply: (v: unknown) => Promise<string | FormData> };

/** The body React's encodeReply makes for an argument list, as the guard sees it. */
async function bodyOf(args: unknown[]): Promise<{ text: string } | { fields: Fields }> {
  const encoded = await encodeReply(args);
  if (typeof encoded === "string") return { text: encoded };
  const fields: Fields = new Map();
  for (const [k, v] of encoded.entries()) if (!fields.has(k)) fields.set(k, typeof v === "string" ? v : null);
  return { fields };
}

const form = (entries: Record<string, string>) => {
  const f = new FormData();
  for (const [k, v] of Object.entries(entries)) f.set(k, v);
  return f;
};

describe("server action bodies", () => {
  it("accepts everything the browser sends for this app's actions", async () => {
    const shared = { id: "x" };
    const calls: unknown[][] = [
      ["demo", null, form({ name: "API_KEY", note: "$dollar" })],
      ["demo", { environmentId: "e", text: 'A=1\nB="two"\n', expected: { A: 1 } }],
      ["demo", { items: [{ variableId: "v", expectedVersion: 3 }], note: undefined }],
      ["demo", { id: "t", active: false }],
      [null, form({ token: "t" })],
      [{ password: "p" }],
      [],
      ["demo", new Date(0), 10n, Number.NaN, -0, Number.POSITIVE_INFINITY, "$escaped"],
      ["demo", { a: shared, b: shared }],
    ];
    for (const [i, args] of calls.entries())
      expect(fetchActionBodyProblem(await bodyOf(args)), `call ${i}`).toBeNull();
  });

  it("refuses what React's decodeReply cannot decode, or what no action takes", () => {
    const text = (t: string) => fetchActionBodyProblem({ text: t });
    for (const bad of [
      "garbage",
      "[",
      "",
      '{"a":1}',
      '"just a string"',
      JSON.stringify(["demo", "$h1"]),
      JSON.stringify(["demo", "$T"]),
      JSON.stringify(["demo", "$@5"]),
      JSON.stringify(["demo", "$7:a:b"]),
      JSON.stringify(["demo", "$nxyz"]),
      JSON.stringify(["demo", `$n${"9".repeat(301)}`]),
      JSON.stringify(["demo", "$Q3"]),
      JSON.stringify(["demo", "$B1"]),
      JSON.stringify(["demo", "$R1"]),
      JSON.stringify(["demo", "$0:9"]),
      `${"[".repeat(200)}${"]".repeat(200)}`,
      JSON.stringify(Array(1001).fill("demo")),
      JSON.stringify([Array(1_000_001).fill(0)]),
      JSON.stringify([["x".repeat(600_000), "y".repeat(600_000)]]),
    ])
      expect(text(bad), bad.slice(0, 40)).not.toBeNull();
    const fields = (entries: [string, string][]) => fetchActionBodyProblem({ fields: new Map(entries) });
    expect(fields([["1", '"x"']])).not.toBeNull();
    expect(fields([["0", "[garbage"]])).not.toBeNull();
    expect(fields([["0", '["demo","$1"]']])).not.toBeNull();
    expect(
      fields([
        ["0", '["demo","$1"]'],
        ["1", '{"a":1}'],
      ]),
    ).toBeNull();
  });

  it("checks forms posted without JavaScript: each bound action must decode", () => {
    const ok: Fields = new Map([
      ["$ACTION_REF_1", ""],
      ["$ACTION_1:0", '{"id":"abc","bound":"$@1"}'],
      ["$ACTION_1:1", '["demo"]'],
      ["name", "API_KEY"],
    ]);
    expect(formActionBodyProblem(ok)).toBeNull();
    expect(
      formActionBodyProblem(
        new Map([
          ["$ACTION_ID_abc", ""],
          ["name", "x"],
        ]),
      ),
    ).toBeNull();
    expect(
      formActionBodyProblem(
        new Map([
          ["$ACTION_REF_1", ""],
          ["$ACTION_1:0", "{bad"],
        ]),
      ),
    ).not.toBeNull();
    expect(
      formActionBodyProblem(
        new Map([
          ["$ACTION_REF_1", ""],
          ["$ACTION_1:0", '{"id":"abc","bound":"$@1"}'],
          ["$ACTION_1:1", "[garbage"],
        ]),
      ),
    ).not.toBeNull();
  });

  it("share their size limit with next.config.mjs", async () => {
    const config = (await import(`${process.cwd()}/next.config.mjs`)).default as {
      experimental: { serverActions: { bodySizeLimit: string }; proxyClientMaxBodySize: string };
    };
    const mb = (s: string) => Number(/^(\d+)mb$/.exec(s)?.[1]) * 1024 * 1024;
    expect(mb(config.experimental.serverActions.bodySizeLimit)).toBe(ACTION_BODY_LIMIT_BYTES);
    expect(mb(config.experimental.proxyClientMaxBodySize)).toBe(ACTION_BODY_LIMIT_BYTES);
  });
});

describe("request URLs", () => {
  it("refuses malformed percent-encoding, bytes that are not UTF-8, and NUL, in the path and the query", () => {
    for (const ok of [
      "http://h/o/demo/variables?q=stripe&tag=a%20b",
      "http://h/api/o/demo/matrix?q=%C3%A9t%C3%A9+x",
      "http://h/",
      "http://h/o/demo?x",
    ])
      expect(isWellFormedUrl(ok), ok).toBe(true);
    for (const bad of [
      "http://h/api/o/%FF/matrix",
      "http://h/api/o/%E0%A4%A/matrix",
      "http://h/api/o/a%00b/matrix",
      "http://h/api/o/demo/matrix?q=%",
      "http://h/api/o/demo/matrix?q=%ED%A0%80",
      "http://h/api/o/demo/matrix?%00=1",
      "http://h/api/o/demo/matrix?q=a%00b",
    ])
      expect(isWellFormedUrl(bad), bad).toBe(false);
  });
});
