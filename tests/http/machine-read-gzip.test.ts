/**
 * A long machine read goes compressed to a client that accepts gzip (the server compresses it: a route cannot send
 * a body it compressed itself, Next drops its Content-Encoding), decoding to exactly the plain answer; plain to a
 * client that does not; with the same entity tag, and 304 when unchanged, cached or not.
 */
import { request } from "node:http";
import { gunzipSync } from "node:zlib";
import { beforeAll, describe, expect, inject, it } from "vitest";
import { withContext } from "@/db/context";
import { serviceTokenInput } from "@/lib/validation/tokens";
import { createServiceToken } from "@/server/tokens/service-tokens";
import { setValue } from "@/server/values/values";
import { createVariable } from "@/server/variables/variables";
import { makeOrg, type TestOrg } from "../db/support";

/** One GET as bytes on the wire: no client decoding. */
function raw(path: string, headers: Record<string, string>) {
  return new Promise<{
    status: number;
    headers: Record<string, string | string[] | undefined>;
    bytes: Buffer;
  }>((resolve, reject) => {
    const req = request(`${inject("baseUrl")}${path}`, { headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers, bytes: Buffer.concat(chunks) }),
      );
    });
    req.on("error", reject);
    req.end();
  });
}

describe("a long machine read", () => {
  let org: TestOrg;
  let token: string;
  const path = "/api/v1/environments/development/values";

  beforeAll(async () => {
    org = await makeOrg();
    token = await withContext(org.owner, async (tx) => {
      for (let i = 0; i < 40; i++) {
        const v = await createVariable(tx, org.owner, {
          name: `LONG_VALUE_${i}`,
          variableType: "configuration",
          securityClassification: "internal",
          isRequired: false,
          isWeddingCritical: false,
          tags: [],
        });
        await setValue(tx, org.owner, {
          variableId: v.id,
          environmentId: org.env.development,
          value: `${i}-${"x".repeat(2000)}`,
          expectedVersion: 0,
        });
      }
      const made = await createServiceToken(
        tx,
        org.owner,
        serviceTokenInput.parse({ name: "long reader", environments: ["development"], access: "read" }),
      );
      return made.token;
    });
  }, 60_000);

  it("goes compressed once to a client that accepts gzip, plain to one that does not, with the same tag", async () => {
    const auth = { authorization: `Bearer ${token}` };
    const plain = await raw(path, { ...auth, "accept-encoding": "identity" });
    expect(plain.status).toBe(200);
    expect(plain.headers["content-encoding"]).toBeUndefined();
    const answer = JSON.parse(plain.bytes.toString("utf8")) as Record<string, string>;
    expect(Object.keys(answer)).toHaveLength(40);
    expect(answer.LONG_VALUE_7).toBe(`7-${"x".repeat(2000)}`);
    // The first read fills this instance's read cache; the later ones are answered from it.
    for (let i = 0; i < 3; i++) {
      const zipped = await raw(path, { ...auth, "accept-encoding": "gzip, deflate, br" });
      expect(zipped.status).toBe(200);
      expect(zipped.headers["content-encoding"]).toBe("gzip");
      expect(zipped.headers.etag).toBe(plain.headers.etag);
      expect(zipped.bytes.length).toBeLessThan(plain.bytes.length / 10);
      expect(gunzipSync(zipped.bytes).toString("utf8")).toBe(plain.bytes.toString("utf8"));
    }
    const again = await raw(path, { ...auth });
    expect(again.headers["content-encoding"]).toBeUndefined();
    expect(again.bytes.toString("utf8")).toBe(plain.bytes.toString("utf8"));
    const unchanged = await raw(path, {
      ...auth,
      "accept-encoding": "gzip",
      "if-none-match": String(plain.headers.etag),
    });
    expect(unchanged.status).toBe(304);
    expect(unchanged.bytes.length).toBe(0);
  });
});
