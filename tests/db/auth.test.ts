import { describe, expect, it } from "vitest";
import { LOGIN_LIMITS, login, revokeSession, touchSession } from "@/server/auth/auth";
import { createUser } from "@/server/auth/users";
import { db, PASSWORD, rawSql, unique } from "./support";

describe("sign-in", () => {
  it("opens a live server-side session for the right password, and revocation ends it", async () => {
    const email = `${unique("ada")}@test.example`;
    await createUser(db(), { email, name: "Ada", password: PASSWORD });
    const result = await login(db(), { email: email.toUpperCase(), password: PASSWORD, ip: "203.0.113.7" });
    if (!result.ok) throw new Error("login failed");
    expect(await touchSession(db(), result.user.id, result.sessionId)).toBe(true);
    await revokeSession(db(), result.user.id, result.sessionId);
    expect(await touchSession(db(), result.user.id, result.sessionId)).toBe(false);
  });

  it("refuses a wrong password and an unknown email alike, in comparable time", async () => {
    const email = `${unique("bob")}@test.example`;
    await createUser(db(), { email, name: "Bob", password: PASSWORD });
    const time = async (e: string) => {
      const t = performance.now();
      const r = await login(db(), {
        email: e,
        password: "wrong password",
        ip: `198.51.100.${Math.floor(Math.random() * 200)}`,
      });
      return { r, ms: performance.now() - t };
    };
    await time(`${unique("warm-up")}@test.example`); // the first sign-in of a process loads the limiter
    const known = await time(email);
    const unknown = await time(`${unique("nobody")}@test.example`);
    expect(known.r).toEqual({ ok: false, reason: "invalid" });
    expect(unknown.r).toEqual({ ok: false, reason: "invalid" });
    // Both paths run one argon2id verification; an unknown email must not answer an order of magnitude faster.
    expect(unknown.ms).toBeGreaterThan(known.ms / 5);
  });

  it("rate-limits repeated failures for one email from one address, even with the right password afterwards", async () => {
    const email = `${unique("carol")}@test.example`;
    await createUser(db(), { email, name: "Carol", password: PASSWORD });
    for (let i = 0; i < LOGIN_LIMITS.perAccountAddress; i++) {
      expect((await login(db(), { email, password: `guess-${i}`, ip: "192.0.2.1" })).ok).toBe(false);
    }
    expect(await login(db(), { email, password: PASSWORD, ip: "192.0.2.1" })).toEqual({
      ok: false,
      reason: "rate_limited",
    });
    const s = rawSql("super");
    const [row] = await s`select points from rate_limits where key = ${`15m:login:${email}|192.0.2.1`}`;
    await s.end();
    expect(row.points).toBe(LOGIN_LIMITS.perAccountAddress);
  });
});
