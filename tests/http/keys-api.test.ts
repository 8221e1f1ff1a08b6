/**
 * The encryption keys over HTTP (issue 16): `GET /api/v1/keys`, `POST /api/v1/keys/rotations` and
 * `POST /api/v1/keys/{id}/revoke`, called with a person's session. An admin starts a rotation (201) that the
 * job carries out at once, up to the rows of production, held by wedding hours (paused); a second start is a 409,
 * and so is revoking the version it rotates away from; a key id that is malformed or names nothing is a 404.
 * Once the window ends the rotation completes and the old version can be revoked. Who may call what: owners,
 * admins and security reviewers read; owners and admins act; every other role, and another organization's
 * admin, gets 403; no session, 401. No answer carries key material.
 */
import { randomUUID } from "node:crypto";
import type postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ERROR_CODES } from "@/lib/errors";
import type { Role } from "@/lib/roles";
import { runRotation } from "@/server/keys/rotation-run";
import { makeOrg, PASSWORD, rawSql, startWeddingHours } from "../db/support";
import { valueFixture } from "../db/value-fixture";
import { problem } from "./api-helpers";
import { type Answer, HttpSession } from "./session";

type Key = { keyId: string; keyType: string; keyVersion: number; keyStatus: string };
type Overview = {
  keys: Key[];
  settings: { minDecryptionVersion: number; dataKeyRotationDays: number | null };
  rotation: null | {
    id: string;
    dataKeyId: string;
    fromKeyIds: string[];
    status: string;
    statusReason: string | null;
    total: number;
    processed: number;
    succeeded: number;
    failed: number;
    remaining: number;
    percent: number;
    startedAt: string;
    finishedAt: string | null;
  };
  history: unknown[];
};

describe("the encryption keys API", () => {
  let fx: Awaited<ReturnType<typeof valueFixture>>;
  let admin: HttpSession;
  let superSql: postgres.Sql;
  let v1: string;
  let rotationId: string;

  /** A call about the fixture's organization (`org=` its slug), with a JSON body when one is given. */
  const call = (who: HttpSession, path: string, method = "GET", body?: string) =>
    who.request(`${path}${path.includes("?") ? "&" : "?"}org=${fx.org.slug}`, {
      method,
      ...(body === undefined ? {} : { headers: { "content-type": "application/json" }, body }),
    });
  const start = (who = admin, body = "{}", query = "") =>
    call(who, `/api/v1/keys/rotations${query}`, "POST", body);
  const overview = async () => {
    const answer = await call(admin, "/api/v1/keys");
    expect(answer.status, answer.body).toBe(200);
    return JSON.parse(answer.body) as Overview;
  };
  const dataKeys = (o: Overview) =>
    o.keys.filter((k) => k.keyType === "data").map((k) => [k.keyVersion, k.keyStatus]);
  const revoke = (keyId: string, who = admin) => call(who, `/api/v1/keys/${keyId}/revoke`, "POST");
  const expectProblem = (answer: Answer, status: number, code: string) => {
    expect(answer.status, answer.body).toBe(status);
    expect(answer.headers.get("content-type")).toBe("application/problem+json");
    expect(problem(answer).code).toBe(code);
  };

  beforeAll(async () => {
    superSql = rawSql("super");
    fx = await valueFixture();
    // A production value: wedding hours hold it back, so the rotation stays open while the tests look at it.
    await fx.set("SESSION_SECRET", "production", "productionsecret");
    admin = await HttpSession.signIn((await fx.org.member("admin")).email, PASSWORD);
    v1 = `data:${fx.org.id}:1`;
  }, 120_000);

  afterAll(async () => {
    await superSql?.end({ timeout: 5 });
  });

  it("answers 401 without a session, and 403 to every role but owners, admins and security reviewers", async () => {
    const as = async (role: Role) => HttpSession.signIn((await fx.org.member(role)).email, PASSWORD);
    const anonymous = HttpSession.anonymous();
    const readers = { owner: await as("owner"), security_reviewer: await as("security_reviewer") };
    const others = [await as("lead"), await as("developer"), await as("viewer"), await as("on_call")];
    // Another organization's admin, naming this one.
    others.push(await HttpSession.signIn((await (await makeOrg()).member("admin")).email, PASSWORD));
    for (const [path, method] of [
      ["/api/v1/keys", "GET"],
      ["/api/v1/keys/rotations", "POST"],
      [`/api/v1/keys/${v1}/revoke`, "POST"],
    ] as const) {
      const body = method === "POST" ? "{}" : undefined;
      expectProblem(await call(anonymous, path, method, body), 401, "unauthorized");
      for (const who of method === "POST" ? [...others, readers.security_reviewer] : others)
        expectProblem(await call(who, path, method, body), 403, "forbidden");
    }
    for (const reader of Object.values(readers))
      expect((await call(reader, "/api/v1/keys")).status).toBe(200);
    // Nothing was started or revoked by the refusals.
    const o = await overview();
    expect(o.rotation).toBeNull();
    expect(dataKeys(o)).toEqual([[1, "active"]]);
  }, 120_000);

  it("shows one active data key, version 1, no rotation, and never key material", async () => {
    const answer = await call(admin, "/api/v1/keys");
    expect(answer.status).toBe(200);
    expect(answer.headers.get("cache-control")).toBe("no-store");
    const o = JSON.parse(answer.body) as Overview;
    expect(dataKeys(o)).toEqual([[1, "active"]]);
    expect(o.keys.find((k) => k.keyType === "data")?.keyId).toBe(v1);
    expect(o.rotation).toBeNull();
    expect(o.history).toEqual([]);
    expect(o.settings.minDecryptionVersion).toBe(1);
    expect(answer.body).not.toMatch(/wrapped/i);
    const wrapped = await superSql<{ w: string }[]>`
      select wrapped_key as w from encryption_keys where organization_id = ${fx.org.id}`;
    for (const { w } of wrapped) expect(answer.body).not.toContain(w);
  });

  it("starts a rotation (201) and refuses a second while it is open (409)", async () => {
    await startWeddingHours(fx.org);
    // Only exactly `{}` starts one: no body, a form, another field or parameter start nothing.
    const refused = [
      await call(admin, "/api/v1/keys/rotations", "POST"),
      await admin.request(`/api/v1/keys/rotations?org=${fx.org.slug}`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: "confirm=yes",
      }),
      await start(admin, '{"dryRun":true}'),
      await start(admin, "{}", "?dryRun=1"),
    ];
    for (const answer of refused) expectProblem(answer, 422, "validation");
    expect((await overview()).rotation).toBeNull();
    const started = await start();
    expect(started.status, started.body).toBe(201);
    const rotation = JSON.parse(started.body) as Record<string, unknown>;
    expect(rotation).toEqual({
      id: expect.any(String),
      status: "running",
      dataKeyId: `data:${fx.org.id}:2`,
      total: expect.any(Number),
      startedAt: expect.any(String),
    });
    expect(rotation.total).toBeGreaterThanOrEqual(4);
    rotationId = String(rotation.id);
    const again = await start();
    expectProblem(again, 409, "conflict");
    expect(JSON.parse(again.body).title).toBe(ERROR_CODES["conflict:rotation"].message);
    // The owner may start one too: refused for the same reason, not for who they are.
    const owner = await HttpSession.signIn((await fx.org.member("owner")).email, PASSWORD);
    expectProblem(await start(owner), 409, "conflict");
  });

  it("shows version 2 active and version 1 rotating, and the job's progress up to the wedding lock", async () => {
    const first = await overview();
    expect(dataKeys(first)).toEqual([
      [2, "active"],
      [1, "rotating"],
    ]);
    expect(first.rotation).toMatchObject({
      id: rotationId,
      dataKeyId: `data:${fx.org.id}:2`,
      fromKeyIds: [v1],
    });
    // The job was queued as the rotation started: it re-encrypts staging, then waits for production.
    const deadline = Date.now() + 30_000;
    let o = first;
    while (o.rotation?.status !== "paused" && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 300));
      o = await overview();
    }
    const r = o.rotation;
    expect(r?.status).toBe("paused");
    expect(r?.statusReason).toMatch(/wedding hours.*production/);
    expect(r?.processed).toBeGreaterThanOrEqual(3);
    expect(r?.failed).toBe(0);
    expect(r?.remaining).toBeGreaterThanOrEqual(1);
    expect((r?.processed ?? 0) + (r?.remaining ?? 0)).toBe(r?.total);
    expect(r?.percent).toBeLessThan(100);
    expect(r?.finishedAt).toBeNull();
    expect(dataKeys(o)).toEqual([
      [2, "active"],
      [1, "rotating"],
    ]);
  }, 60_000);

  it("refuses to revoke the version it rotates away from (409), and a key id that names nothing (404)", async () => {
    const inUse = await revoke(v1);
    expectProblem(inUse, 409, "conflict");
    expect(JSON.parse(inUse.body).title).toBe(ERROR_CODES["conflict:key_in_use"].message);
    expectProblem(await revoke(`data:${fx.org.id}:2`), 409, "conflict");
    const other = await makeOrg();
    for (const keyId of [
      `data:${fx.org.id}:3`,
      `data:${other.id}:1`,
      `data:${randomUUID()}:1`,
      "nonsense",
      `data:${fx.org.id}:0`,
      `data:${fx.org.id}:1x`,
      `hmac:${fx.org.id}:1`,
      "data:not-a-uuid:1",
      `data:${fx.org.id.toUpperCase()}:1`,
      "x".repeat(2000),
    ])
      expectProblem(await revoke(keyId), 404, "not_found");
    // Whatever reaches the path, the answer is a refusal, never a failure.
    for (const keyId of ["%00", "%E0%A4%A", "..%2F..%2Fkeys", "data%3A%3A1%0A", "%F0%9F%94%91"]) {
      const answer = await revoke(keyId);
      expect(answer.status, `${keyId}: ${answer.body}`).toBeGreaterThanOrEqual(400);
      expect(answer.status, `${keyId}: ${answer.body}`).toBeLessThan(500);
    }
    expect(dataKeys(await overview())).toEqual([
      [2, "active"],
      [1, "rotating"],
    ]);
  });

  it("completes once the wedding window ends; the old version is deprecated, then revoked (200)", async () => {
    await superSql.begin(async (tx) => {
      await tx`set local session_replication_role = replica`;
      await tx`delete from protection_blackouts where organization_id = ${fx.org.id}`;
    });
    expect(await runRotation(fx.org.owner, rotationId)).toMatchObject({ state: "finished" });
    const done = await overview();
    expect(done.rotation).toMatchObject({ id: rotationId, status: "completed", remaining: 0, percent: 100 });
    expect(dataKeys(done)).toEqual([
      [2, "active"],
      [1, "deprecated"],
    ]);
    const revoked = await revoke(encodeURIComponent(v1));
    expect(revoked.status, revoked.body).toBe(200);
    expect(JSON.parse(revoked.body)).toEqual({ keyId: v1, version: 1 });
    expectProblem(await revoke(v1), 409, "conflict");
    expect(dataKeys(await overview())).toEqual([
      [2, "active"],
      [1, "revoked"],
    ]);
  });
});
