/**
 * The server actions' body limit fits the documented 5 MB `.env` import (Next's default of 1 MB answered
 * 500 to anything bigger), and what is over it is refused with 413 or a field error, never a 500.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { rawSql } from "../db/support";
import { type ActionEntry, callAction, listActions } from "./actions";
import { HttpSession } from "./session";

let admin: HttpSession;
let environmentId: string;
const action = (name: string): ActionEntry => {
  const found = listActions().find((a) => a.exportedName === name);
  if (!found) throw new Error(`no action ${name}`);
  return found;
};

/** A `.env` of about `bytes` bytes: quoted 60 KB values (certificates and the like), a comment per key. */
function dotenv(bytes: number, prefix: string): string {
  const value = "v".repeat(60_000);
  const lines: string[] = [];
  let size = 0;
  for (let i = 0; size < bytes; i++) {
    const line = `# key ${i}\n${prefix}_${String(i).padStart(4, "0")}="${value}"\n`;
    lines.push(line);
    size += line.length;
  }
  return lines.join("");
}

beforeAll(async () => {
  admin = await HttpSession.signIn("admin@demo.test", "ringbearer-demo");
  const sql = rawSql("super");
  const [env] = await sql<{ id: string }[]>`
    select e.id from environments e join organizations o on o.id = e.organization_id
    where o.slug = 'demo' and e.name = 'development'`;
  environmentId = env.id;
  await sql.end();
});

describe("the server actions' body limit", () => {
  it("lets a real 4.9 MB .env through preview and import", async () => {
    const text = dotenv(4_900_000, "BIG_IMPORT");
    expect(text.length).toBeGreaterThan(4_900_000);
    const params = { org: "demo", id: environmentId };
    const preview = await callAction(
      admin,
      action("previewImportAction"),
      ["demo", { environmentId, text }],
      {
        params,
      },
    );
    expect(preview.status).toBe(200);
    const previewed = preview.result as {
      ok: boolean;
      data: { counts: { new: number }; expected: Record<string, number> };
    };
    expect(previewed).toMatchObject({ ok: true });
    expect(previewed.data.counts.new).toBeGreaterThan(80);
    const applied = await callAction(
      admin,
      action("applyImportAction"),
      ["demo", { environmentId, text, expected: previewed.data.expected, note: "A big import" }],
      { params },
    );
    expect(applied.result).toMatchObject({ ok: true, data: { written: previewed.data.counts.new } });
  });

  it("refuses 10 MB of .env as too large (a field error), and a body over the limit with 413", async () => {
    const params = { org: "demo", id: environmentId };
    const tenMegabytes = await callAction(
      admin,
      action("previewImportAction"),
      ["demo", { environmentId, text: dotenv(10_000_000, "TOO_BIG") }],
      { params },
    );
    expect(tenMegabytes.status).toBe(200);
    expect(tenMegabytes.result).toMatchObject({
      ok: false,
      error: { code: "validation" },
      fieldErrors: { text: ["At most 5 MB of .env text"] },
    });

    const overLimit = await callAction(
      admin,
      action("previewImportAction"),
      ["demo", { environmentId, text: dotenv(13_000_000, "WAY_TOO_BIG") }],
      { params },
    );
    expect(overLimit.status).toBe(413);
    expect(JSON.parse(overLimit.body)).toMatchObject({ error: { code: "too_large" } });
  });
});
