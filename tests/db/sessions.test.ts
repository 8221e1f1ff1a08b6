import { beforeAll, describe, expect, it } from "vitest";
import { withContext } from "@/db/context";
import { AppError } from "@/lib/errors";
import { login, touchSession } from "@/server/auth/auth";
import { mySessions, revokeMySessions } from "@/server/auth/sessions";
import { db, makeOrg, PASSWORD, rawSql, type TestOrg } from "./support";

let org: TestOrg;
let email: string;

beforeAll(async () => {
  org = await makeOrg();
  const admin = rawSql("super");
  const [row] = await admin<{ email: string }[]>`select email from users where id = ${org.owner.userId}`;
  await admin.end();
  email = row.email;
});

const open = async (ip: string) => {
  const r = await login(db(), { email, password: PASSWORD, ip, userAgent: `browser ${ip}` });
  if (!r.ok) throw new Error("sign-in failed");
  return r.sessionId;
};

describe("your sessions", () => {
  it("lists only your live sessions and signs out one, or all the others", async () => {
    const [a, b, c] = [await open("192.0.2.10"), await open("192.0.2.11"), await open("192.0.2.12")];
    const mine = await withContext({ userId: org.owner.userId }, (tx) => mySessions(tx, org.owner.userId));
    expect(mine.map((s) => s.id)).toEqual(expect.arrayContaining([a, b, c]));
    const other = await org.member("admin");
    expect(await withContext({ userId: other.userId }, (tx) => mySessions(tx, org.owner.userId))).toEqual([]);

    const ctx = { ...org.owner, sessionId: a };
    await withContext(ctx, (tx) => revokeMySessions(tx, ctx, { sessionId: b }));
    expect(await touchSession(db(), org.owner.userId, b)).toBe(false);
    expect(await touchSession(db(), org.owner.userId, c)).toBe(true);
    await withContext(ctx, (tx) => revokeMySessions(tx, ctx, { others: true }));
    expect(await touchSession(db(), org.owner.userId, c)).toBe(false);
    expect(await touchSession(db(), org.owner.userId, a)).toBe(true);
  });

  it("cannot sign out someone else's session", async () => {
    const other = await org.member("admin");
    const mine = await open("192.0.2.20");
    const ctx = { ...other, sessionId: "00000000-0000-0000-0000-000000000000" };
    await expect(withContext(ctx, (tx) => revokeMySessions(tx, ctx, { sessionId: mine }))).rejects.toSatisfy(
      (e) => e instanceof AppError && e.code === "not_found",
    );
    expect(await touchSession(db(), org.owner.userId, mine)).toBe(true);
  });
});
