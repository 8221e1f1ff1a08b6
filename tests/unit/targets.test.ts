import {
  closeSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { createServer, type IncomingMessage, type RequestListener } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parseDotenv } from "@/lib/dotenv";
import type { Transport } from "@/lib/net/guarded-fetch";
import { parseAllowlist } from "@/lib/net/outbound-policy";
import { deployedHash, readHeader, SIGNATURE_HEADER, signResponse } from "@/lib/sync-protocol";
import { fileTarget } from "@/lib/targets/file-target";
import { httpTarget } from "@/lib/targets/http-target";
import { TargetError } from "@/lib/targets/types";

const SECRET = "targets-test-secret-0123456789";
/** The receivers here listen on loopback, which the outbound policy refuses unless allowlisted. */
const LOOPBACK = parseAllowlist("127.0.0.1,::1");
const dir = mkdtempSync(join(tmpdir(), "ringbearer-targets-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let fileCount = 0;
const freshFile = (content?: string) => {
  const folder = join(dir, `case-${++fileCount}`);
  mkdirSync(folder);
  const path = join(folder, "deployed.env");
  if (content !== undefined) writeFileSync(path, content);
  return { folder, path };
};

const NASTY = {
  MULTILINE: "-----BEGIN KEY-----\nabc\ndef\n-----END KEY-----\n",
  QUOTED: `it's "quoted" with \`ticks\` and $HOME and \\n`,
  SPACES: "  padded # not a comment  ",
  PLAIN: "postgres://u@h:5432/db",
  EMPTY: "",
};

/** The error a promise rejects with, so tests can assert its code and message together. */
async function failure(promise: Promise<unknown>): Promise<TargetError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(TargetError);
  return error as TargetError;
}

describe("fileTarget", () => {
  it("treats a missing file as an empty state", async () => {
    const target = fileTarget({ path: freshFile().path, secret: SECRET });
    expect(await target.state()).toEqual(new Map());
    expect(await target.values(["A"])).toEqual(new Map());
  });

  it("round-trips multiline and quoted values through apply, state and values", async () => {
    const { path } = freshFile();
    const target = fileTarget({ path, secret: SECRET });
    const after = await target.apply({ set: NASTY, delete: [] });
    const expected = new Map(Object.entries(NASTY).map(([k, v]) => [k, deployedHash(SECRET, v)]));
    expect(after).toEqual(expected);
    expect(await target.state()).toEqual(expected);
    expect(await target.values(["QUOTED", "MULTILINE", "NOT_THERE"])).toEqual(
      new Map([
        ["MULTILINE", NASTY.MULTILINE],
        ["QUOTED", NASTY.QUOTED],
      ]),
    );
    const { entries, problems } = parseDotenv(readFileSync(path, "utf8"));
    expect(problems).toEqual([]);
    expect(Object.fromEntries(entries.map((e) => [e.key, e.value]))).toEqual(NASTY);
    expect(statSync(path).mode & 0o777).toBe(0o600);
  });

  it("keeps keys it was not told about in their order, appends new ones, ignores deleting a missing key", async () => {
    const { path } = freshFile("# deployed by hand\nB=2\nexport A=1\nC=3\n");
    const target = fileTarget({ path, secret: SECRET });
    await target.apply({ set: { A: "new", D: "4" }, delete: ["C", "NEVER_THERE"] });
    expect(readFileSync(path, "utf8")).toBe("B=2\nA=new\nD=4\n");
  });

  it("is idempotent and does not rewrite the file when nothing changes", async () => {
    const { path } = freshFile();
    const target = fileTarget({ path, secret: SECRET });
    const first = await target.apply({ set: { A: "1" }, delete: ["B"] });
    const inode = statSync(path).ino;
    expect(await target.apply({ set: { A: "1" }, delete: ["B"] })).toEqual(first);
    expect(statSync(path).ino).toBe(inode);
  });

  it("writes through a temp file and rename, leaving no temp file behind, even under concurrent applies", async () => {
    const { folder, path } = freshFile("KEEP=1\n");
    const target = fileTarget({ path, secret: SECRET });
    const original = openSync(path, "r");
    const names = Array.from({ length: 20 }, (_, i) => `KEY_${i}`);
    await Promise.all(names.map((name) => target.apply({ set: { [name]: name }, delete: [] })));
    // A reader holding the old file still sees it whole: the new content arrived by rename, not in place.
    expect(readFileSync(original, "utf8")).toBe("KEEP=1\n");
    closeSync(original);
    expect([...(await target.state()).keys()].sort()).toEqual(["KEEP", ...names].sort());
    expect(readdirSync(folder)).toEqual(["deployed.env"]);
  });

  it("names the invalid line of a file without quoting its value", async () => {
    const { path } = freshFile('A=1\nthis is secret-junk\nB="secret-open\n');
    const target = fileTarget({ path, secret: SECRET });
    // Thunks, not promises: each call starts only when it is awaited, so no rejection goes unhandled.
    for (const attempt of [
      () => target.state(),
      () => target.values(["A"]),
      () => target.apply({ set: { C: "3" }, delete: [] }),
    ]) {
      const error = await failure(attempt());
      expect(error.code).toBe("bad_response");
      expect(error.message).toBe(
        "The .env file has an invalid line 2: Expected KEY=value (or a # comment) and 1 more problem(s)",
      );
    }
    expect(readFileSync(path, "utf8")).toContain("secret-junk");
  });

  it("refuses changes a .env file cannot hold, naming the key but not the value", async () => {
    const { path } = freshFile("A=1\n");
    const target = fileTarget({ path, secret: SECRET });
    const lower = await failure(target.apply({ set: { lower_case: "secret-value" }, delete: [] }));
    expect(lower).toMatchObject({
      code: "refused",
      message: expect.stringMatching(/^set\.lower_case: .*UPPER_SNAKE_CASE/),
    });
    const both = await failure(target.apply({ set: { A: "secret-value" }, delete: ["A"] }));
    expect(both).toMatchObject({ code: "refused", message: "delete.A: also in set" });
    for (const e of [lower, both]) expect(e.message).not.toContain("secret-value");
    expect(readFileSync(path, "utf8")).toBe("A=1\n");
  });

  it("reports a file it cannot read as io", async () => {
    const { folder } = freshFile();
    const error = await failure(fileTarget({ path: folder, secret: SECRET }).state());
    expect(error).toMatchObject({ code: "io", message: "Could not read the .env file (EISDIR)" });
  });
});

async function fakeServer(handler: RequestListener) {
  const server = createServer(handler);
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((done) => {
        server.close(() => done());
        server.closeAllConnections();
      }),
  };
}

/** The signature of the request a fake server is answering, to sign its answer for that request. */
const signatureOf = (req: IncomingMessage) => readHeader(req.headers, SIGNATURE_HEADER) ?? "";

describe("httpTarget against misbehaving servers", () => {
  it("refuses an unsigned answer, and one signed with another secret", async () => {
    const body = JSON.stringify({ keys: {} });
    const unsigned = await fakeServer((_req, res) => res.writeHead(200).end(body));
    const error = await failure(httpTarget({ url: unsigned.url, secret: SECRET, allow: LOOPBACK }).state());
    expect(error).toMatchObject({ code: "bad_response", message: "response not signed by the target" });
    const otherSecret = await fakeServer((req, res) => {
      const requestSignature = signatureOf(req);
      res.writeHead(
        200,
        signResponse({ secret: "not-the-shared-secret", status: 200, requestSignature, body }),
      );
      res.end(body);
    });
    expect(
      await failure(httpTarget({ url: otherSecret.url, secret: SECRET, allow: LOOPBACK }).state()),
    ).toMatchObject({
      code: "bad_response",
      message: expect.stringMatching(/^The target's answer is not signed for this request/),
    });
    await Promise.all([unsigned.close(), otherSecret.close()]);
  });

  it("refuses a genuine answer replayed onto a later request", async () => {
    let recorded: { headers: Record<string, string>; body: string } | undefined;
    const server = await fakeServer((req, res) => {
      if (!recorded) {
        const body = JSON.stringify({ keys: { A: deployedHash(SECRET, "old") } });
        const headers = signResponse({
          secret: SECRET,
          status: 200,
          requestSignature: signatureOf(req),
          body,
        });
        recorded = { headers, body };
      }
      res.writeHead(200, recorded.headers).end(recorded.body);
    });
    const target = httpTarget({ url: server.url, secret: SECRET, allow: LOOPBACK });
    expect(await target.state()).toEqual(new Map([["A", deployedHash(SECRET, "old")]]));
    const error = await failure(target.state());
    expect(error).toMatchObject({
      code: "bad_response",
      message:
        "The target's answer is not signed for this request: replayed, altered or signed with another secret",
    });
    await server.close();
  });

  it("times out on a server that never answers", async () => {
    const server = await fakeServer(() => {});
    const started = performance.now();
    const error = await failure(
      httpTarget({ url: server.url, secret: SECRET, allow: LOOPBACK, timeoutMs: 150 }).state(),
    );
    expect(error).toMatchObject({ code: "timeout", message: "No answer within 0.15 s" });
    expect(performance.now() - started).toBeLessThan(2000);
    await server.close();
  });

  it("does not follow a redirect with a signed body", async () => {
    let elsewhere = 0;
    const other = await fakeServer((_req, res) => {
      elsewhere += 1;
      res.end();
    });
    const server = await fakeServer((_req, res) =>
      res.writeHead(307, { location: `${other.url}/v1/state` }).end(),
    );
    const target = httpTarget({ url: server.url, secret: SECRET, allow: LOOPBACK });
    const error = await failure(target.apply({ set: { A: "secret" }, delete: [] }));
    expect(error).toMatchObject({
      code: "refused",
      message: "The target answered with a redirect (HTTP 307); redirects are not followed",
    });
    expect(elsewhere).toBe(0);
    await Promise.all([server.close(), other.close()]);
  });

  it("refuses a signed answer that does not fit the schema", async () => {
    const server = await fakeServer((req, res) => {
      const body = JSON.stringify({ keys: { A: "plaintext-not-a-hash" } });
      const requestSignature = signatureOf(req);
      res.writeHead(200, signResponse({ secret: SECRET, status: 200, requestSignature, body })).end(body);
    });
    const error = await failure(httpTarget({ url: server.url, secret: SECRET, allow: LOOPBACK }).state());
    expect(error).toMatchObject({
      code: "bad_response",
      message: expect.stringMatching(/^The target's answer is malformed: keys\.A: /),
    });
    expect(error.message).not.toContain("plaintext");
    await server.close();
  });

  it("signs with the injected fetch, keeps a path prefix, and only returns the names asked for", async () => {
    const seen: { url: string; headers: Headers; body: string }[] = [];
    const fakeFetch: Transport = async (input, init) => {
      const headers = new Headers(init?.headers);
      seen.push({ url: String(input), headers, body: String(init?.body) });
      const body = JSON.stringify({ values: { A: "1", NOT_ASKED: "2" } });
      const requestSignature = headers.get(SIGNATURE_HEADER) ?? "";
      return new Response(body, {
        status: 200,
        headers: signResponse({ secret: SECRET, status: 200, requestSignature, body }),
      });
    };
    const target = httpTarget({ url: "https://deploy.example/ringbearer", secret: SECRET, fetch: fakeFetch });
    expect(await target.values(["A", "A", "B"])).toEqual(new Map([["A", "1"]]));
    expect(await target.values([])).toEqual(new Map());
    expect(seen).toHaveLength(1);
    expect(seen[0].url).toBe("https://deploy.example/ringbearer/v1/values");
    expect(seen[0].body).toBe('{"keys":["A","B"]}');
    expect(seen[0].headers.get("x-ringbearer-signature")).toMatch(/^v1=[0-9a-f]{64}$/);
    expect(seen[0].headers.get("x-ringbearer-nonce")).toMatch(/^[0-9a-f]{32}$/);
  });

  it("refuses URLs it cannot use, as a rejected call", async () => {
    for (const url of ["not a url", "ftp://host/", "https://user:pw@host/"]) {
      const error = await failure(httpTarget({ url, secret: SECRET }).state());
      expect(error.code).toBe("refused");
      expect(error.message).not.toContain("pw");
    }
  });
});
