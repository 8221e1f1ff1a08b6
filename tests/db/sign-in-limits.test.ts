import { describe, expect, it } from "vitest";
import { LOGIN_LIMITS, login } from "@/server/auth/auth";
import { createUser } from "@/server/auth/users";
import { db, PASSWORD, unique } from "./support";

const newUser = async (prefix: string) => {
  const email = `${unique(prefix)}@test.example`;
  await createUser(db(), { email, name: prefix, password: PASSWORD });
  return email;
};
const address = () => `198.19.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}`;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("sign-in throttling", () => {
  it("evaluates no more passwords than the limit allows, however many attempts run at once", async () => {
    const email = await newUser("burst");
    const ip = address();
    const results = await Promise.all(
      Array.from({ length: 30 }, (_, i) => login(db(), { email, password: `guess ${i}`, ip })),
    );
    const evaluated = results.filter((r) => !r.ok && r.reason === "invalid");
    const refused = results.filter((r) => !r.ok && r.reason === "rate_limited");
    expect(evaluated).toHaveLength(LOGIN_LIMITS.perAccountAddress);
    expect(refused).toHaveLength(30 - LOGIN_LIMITS.perAccountAddress);
    expect(await login(db(), { email, password: PASSWORD, ip })).toEqual({
      ok: false,
      reason: "rate_limited",
    });
  });

  it("an attacker's wrong passwords from their address do not lock the victim out from theirs", async () => {
    const email = await newUser("victim");
    const attacker = address();
    for (let i = 0; i < LOGIN_LIMITS.perAccountAddress; i++)
      expect(await login(db(), { email, password: `guess ${i}`, ip: attacker })).toEqual({
        ok: false,
        reason: "invalid",
      });
    expect(await login(db(), { email, password: PASSWORD, ip: attacker })).toEqual({
      ok: false,
      reason: "rate_limited",
    });
    const victim = await login(db(), { email, password: PASSWORD, ip: address() });
    expect(victim.ok).toBe(true);
  });

  it("slows guesses at one account from many addresses with a growing delay, never a lockout", async () => {
    const email = await newUser("spread");
    for (let i = 0; i < LOGIN_LIMITS.accountFreeFailures; i++)
      expect((await login(db(), { email, password: `guess ${i}`, ip: address() })).ok).toBe(false);
    // Past the free failures: one attempt per delay (1 s, then 2 s …), whatever the address.
    expect(await login(db(), { email, password: "guess a", ip: address() })).toEqual({
      ok: false,
      reason: "invalid",
    });
    expect(await login(db(), { email, password: PASSWORD, ip: address() })).toEqual({
      ok: false,
      reason: "rate_limited",
    });
    await sleep(1100);
    expect(await login(db(), { email, password: "guess b", ip: address() })).toEqual({
      ok: false,
      reason: "invalid",
    });
    await sleep(1100);
    // The delay doubled: 1.1 s after the last guess is still too early.
    expect(await login(db(), { email, password: PASSWORD, ip: address() })).toEqual({
      ok: false,
      reason: "rate_limited",
    });
    await sleep(1000);
    // Once it has passed, the right password gets in, and the account's count starts again.
    expect((await login(db(), { email, password: PASSWORD, ip: address() })).ok).toBe(true);
    expect(await login(db(), { email, password: "guess c", ip: address() })).toEqual({
      ok: false,
      reason: "invalid",
    });
  });

  it("does not count the right password that still waits for its code, nor a success", async () => {
    const email = await newUser("quiet");
    const ip = address();
    for (let round = 0; round < 3; round++) {
      for (let i = 0; i < LOGIN_LIMITS.perAccountAddress - 1; i++)
        expect((await login(db(), { email, password: `guess ${i}`, ip })).ok).toBe(false);
      expect((await login(db(), { email, password: PASSWORD, ip })).ok).toBe(true);
    }
  });
});
