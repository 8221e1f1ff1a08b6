/**
 * Values are never HTTP-compressed, whatever the client accepts (lib/value-formats.ts VALUE_CACHE_CONTROL: BREACH,
 * and the gzip of a long answer on every read): a long machine read arrives as the plain answer, cached or not,
 * with its entity tag, and 304 when unchanged. One value likewise.
 */
import { request } from "node:http";
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

  it("arrives uncompressed even to a client that accepts gzip, with the same tag, cached or not", async () => {
    const auth = { authorization: `Bearer ${token}` };
    const plain = await raw(path, { ...auth, "accept-encoding": "identity" });
    expect(plain.status).toBe(200);
    expect(plain.headers["cache-control"]).toBe("no-store, no-transform");
    const answer = JSON.parse(plain.bytes.toString("utf8")) as Record<string, string>;
    expect(Object.keys(answer)).toHaveLength(40);
    expect(answer.LONG_VALUE_7).toBe(`7-${"x".repeat(2000)}`);
    // The first read filled this instance's read cache; these are answered from it.
    for (let i = 0; i < 3; i++) {
      const offered = await raw(path, { ...auth, "accept-encoding": "gzip, deflate, br" });
      expect(offered.status).toBe(200);
      expect(offered.headers["content-encoding"]).toBeUndefined();
      expect(offered.headers.etag).toBe(plain.headers.etag);
      expect(offered.bytes.toString("utf8")).toBe(plain.bytes.toString("utf8"));
    }
    const one = await raw(`${path}/LONG_VALUE_7`, { ...auth, "accept-encoding": "gzip" });
    expect(one.headers["content-encoding"]).toBeUndefined();
    expect(JSON.parse(one.bytes.toString("utf8"))).toMatchObject({
      key: "LONG_VALUE_7",
      value: answer.LONG_VALUE_7,
    });
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
