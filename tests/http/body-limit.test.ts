/**
 * The server actions' body limit fits the documented 5 MB `.env` import (Next's default of 1 MB answered
 * 500 to anything bigger), and what is over it is refused with 413 or a field error, never a 500.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { rawSql } from "../db/support";
import {
  type ActionEntry,
  callAction,
  decodeActionAnswer,
  encodeArgs,
  fillPath,
  listActions,
} from "./actions";
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

  it("takes a body sent without a length (chunked), and refuses one over the limit without a 500", async () => {
    const previewAction = action("previewImportAction");
    const send = async (chunks: string[]) => {
      const body = new ReadableStream<Uint8Array>({
        start(controller) {
          for (const chunk of chunks) controller.enqueue(new TextEncoder().encode(chunk));
          controller.close();
        },
      });
      const response = await fetch(
        `${admin.baseUrl}${fillPath(previewAction.page as string, { org: "demo", id: environmentId })}`,
        {
          method: "POST",
          headers: {
            cookie: admin.cookieHeader(),
            origin: admin.baseUrl,
            "next-action": previewAction.id,
            "content-type": "text/plain;charset=UTF-8",
          },
          body,
          duplex: "half",
        } as RequestInit,
      );
      const answer = { status: response.status, headers: response.headers, body: await response.text() };
      return { ...answer, ...(await decodeActionAnswer(answer)) };
    };
    const small = (await encodeArgs(["demo", { environmentId, text: "CHUNKED_KEY=1\n" }])) as string;
    const ok = await send([small.slice(0, 10), small.slice(10)]);
    expect(ok.result).toMatchObject({ ok: true, data: { counts: { new: 1 } } });

    const huge = (await encodeArgs([
      "demo",
      { environmentId, text: "A=".concat("x".repeat(13_000_000)) },
    ])) as string;
    const parts = Array.from({ length: 13 }, (_, i) => huge.slice(i * 1_000_000, (i + 1) * 1_000_000));
    parts.push(huge.slice(13_000_000));
    const refused = await send(parts);
    expect(refused.status).toBeGreaterThanOrEqual(400);
    expect(refused.status).toBeLessThan(500);
  });
});
