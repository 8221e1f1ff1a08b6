import { generate } from "otplib";
import { describe, expect, it } from "vitest";
import { LOGIN_LIMITS, login } from "@/server/auth/auth";
import {
  beginTotpEnrolment,
  confirmTotpEnrolment,
  disableTotp,
  mfaStatus,
  type UserContext,
} from "@/server/auth/mfa";
import { createUser } from "@/server/auth/users";
import { ageVerification, sessionRow, withSession } from "./session-fixture";
import { db, PASSWORD, rawSql, unique } from "./support";
import { isCode } from "./value-fixture";

/** A fresh user signed in (password only) from a fresh address, so rate limits of other tests never meet. */
async function signedIn() {
  const email = `${unique("mfa")}@test.example`;
  const user = await createUser(db(), { email, name: "MFA", password: PASSWORD });
  const ip = `198.18.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}`;
  const ctx = (await withSession({ userId: user.id, ip })) as UserContext;
  return { email, ip, ctx };
}

const codeFor = (secret: string, offsetSteps = 0) =>
  generate({ secret, epoch: Math.floor(Date.now() / 1000) + offsetSteps * 30 });

/** A signed-in user who has turned two-factor authentication on; the confirming code's step is used up. */
async function enrolled() {
  const u = await signedIn();
  const { secret } = await beginTotpEnrolment(db(), u.ctx);
  await confirmTotpEnrolment(db(), u.ctx, await codeFor(secret));
  return { ...u, secret };
}

async function failuresFor(email: string) {
  const s = rawSql("super");
  const [row] = await s<{ points: number }[]>`
    select points from rate_limits where key = ${`login-account:${email}`} and expire > now()`;
  await s.end();
  return row?.points ?? 0;
}

describe("two-factor enrolment", () => {
  it("shows a secret once, stores it sealed, and turns on only with a current code", async () => {
    const { email, ctx } = await signedIn();
    const { secret, uri } = await beginTotpEnrolment(db(), ctx);
    expect(uri).toContain(`otpauth://totp/Ringbearer:${encodeURIComponent(email)}`);
    expect(uri).toContain(`secret=${secret}`);
    expect((await mfaStatus(db(), ctx.userId)).enabled).toBe(false);

    const s = rawSql("super");
    const [row] = await s<{ totp_secret: string }[]>`select totp_secret from users where id = ${ctx.userId}`;
    await s.end();
    expect(row.totp_secret).toMatch(/^v1\./);
    expect(row.totp_secret).not.toContain(secret);

    await expect(confirmTotpEnrolment(db(), ctx, "000000")).rejects.toSatisfy(
      (e) =>
        isCode("validation")(e) && Boolean((e as { fieldErrors?: { code?: string[] } }).fieldErrors?.code),
    );
    expect(await failuresFor(email)).toBe(1);
    expect((await mfaStatus(db(), ctx.userId)).enabled).toBe(false);

    const confirmed = await confirmTotpEnrolment(db(), ctx, await codeFor(secret));
    expect(confirmed.enabledAt).toBeInstanceOf(Date);
    expect((await mfaStatus(db(), ctx.userId)).enabled).toBe(true);
    expect((await sessionRow(ctx.sessionId)).mfa).toBe(true);
    expect(await failuresFor(email)).toBe(0);
    // Already on: a second enrolment cannot quietly replace the secret.
    await expect(beginTotpEnrolment(db(), ctx)).rejects.toSatisfy(isCode("validation"));
  });

  it("needs a recent sign-in or re-authentication to start", async () => {
    const { ctx } = await signedIn();
    await ageVerification(ctx.sessionId, 6);
    await expect(beginTotpEnrolment(db(), ctx)).rejects.toSatisfy(isCode("reauth_required"));
  });

  it("refuses to confirm before a secret was made", async () => {
    const { ctx } = await signedIn();
    await expect(confirmTotpEnrolment(db(), ctx, "123456")).rejects.toSatisfy(isCode("validation"));
  });
});

describe("sign-in with two-factor authentication", () => {
  it("asks for the code after the right password, refuses a wrong one, and accepts the right one once", async () => {
    const { email, secret } = await enrolled();
    const ip = "203.0.113.44";
    expect(await login(db(), { email, password: PASSWORD, ip })).toEqual({
      ok: false,
      reason: "totp_required",
    });
    expect(await failuresFor(email)).toBe(0); // the right password with no code yet is not a failure

    // A wrong password is "invalid" whatever the code: the code step never says the password was right.
    expect(await login(db(), { email, password: "wrong", totp: await codeFor(secret), ip })).toEqual({
      ok: false,
      reason: "invalid",
    });
    expect(await login(db(), { email, password: PASSWORD, totp: "000000", ip })).toEqual({
      ok: false,
      reason: "totp_invalid",
    });
    expect(await failuresFor(email)).toBe(2);

    const code = await codeFor(secret, 1); // the app's clock is a step ahead: still accepted
    const ok = await login(db(), { email, password: PASSWORD, totp: code, ip });
    if (!ok.ok) throw new Error(`sign-in failed: ${ok.reason}`);
    expect(ok.mfa).toBe(true);
    expect((await sessionRow(ok.sessionId)).mfa).toBe(true);
    expect(await failuresFor(email)).toBe(0);

    // Single-use: the same code, or one from an earlier step, is refused.
    expect(await login(db(), { email, password: PASSWORD, totp: code, ip })).toEqual({
      ok: false,
      reason: "totp_invalid",
    });
    expect(await login(db(), { email, password: PASSWORD, totp: await codeFor(secret), ip })).toEqual({
      ok: false,
      reason: "totp_invalid",
    });
  });

  it("lets only one of two sign-ins racing with the same code through", async () => {
    const { email, secret } = await enrolled();
    const totp = await codeFor(secret, 1);
    const results = await Promise.all(
      ["203.0.113.51", "203.0.113.52"].map((ip) => login(db(), { email, password: PASSWORD, totp, ip })),
    );
    expect(results.filter((r) => r.ok)).toHaveLength(1);
  });

  it("counts wrong codes toward the sign-in limit", async () => {
    const { email, secret } = await enrolled();
    for (let i = 0; i < LOGIN_LIMITS.perAccountAddress; i++)
      expect((await login(db(), { email, password: PASSWORD, totp: "999999", ip: "203.0.113.60" })).ok).toBe(
        false,
      );
    expect(
      await login(db(), { email, password: PASSWORD, totp: await codeFor(secret, 1), ip: "203.0.113.60" }),
    ).toEqual({ ok: false, reason: "rate_limited" });
  });

  it("signs in users without two-factor authentication with the password alone, as before", async () => {
    const { email } = await signedIn();
    const ok = await login(db(), { email, password: PASSWORD, ip: "203.0.113.70" });
    expect(ok).toMatchObject({ ok: true, mfa: false });
  });
});

describe("turning two-factor authentication off", () => {
  it("needs a current code or the password; wrong ones are refused and counted", async () => {
    const { email, ctx, secret } = await enrolled();
    await expect(disableTotp(db(), ctx, { code: "000000" })).rejects.toSatisfy(isCode("validation"));
    await expect(disableTotp(db(), ctx, { password: "not it" })).rejects.toSatisfy(isCode("validation"));
    await expect(disableTotp(db(), ctx, {})).rejects.toSatisfy(isCode("validation"));
    expect(await failuresFor(email)).toBe(3);
    expect((await mfaStatus(db(), ctx.userId)).enabled).toBe(true);

    await disableTotp(db(), ctx, { code: await codeFor(secret, 1) });
    expect((await mfaStatus(db(), ctx.userId)).enabled).toBe(false);
    const s = rawSql("super");
    const [row] = await s<
      { totp_secret: string | null }[]
    >`select totp_secret from users where id = ${ctx.userId}`;
    await s.end();
    expect(row.totp_secret).toBeNull();
    expect(await login(db(), { email, password: PASSWORD, ip: "203.0.113.80" })).toMatchObject({ ok: true });
    await expect(disableTotp(db(), ctx, { password: PASSWORD })).rejects.toSatisfy(isCode("validation"));
  });

  it("works with the password when the phone is not at hand", async () => {
    const { ctx } = await enrolled();
    await disableTotp(db(), ctx, { password: PASSWORD });
    expect((await mfaStatus(db(), ctx.userId)).enabled).toBe(false);
  });
});

describe("a sealed secret belongs to its user", () => {
  it("copied onto another user's row, it opens for nobody", async () => {
    const a = await enrolled();
    const b = await signedIn();
    const s = rawSql("super");
    await s`update users set totp_secret = (select totp_secret from users where id = ${a.ctx.userId}),
      totp_enabled_at = now(), totp_last_step = null where id = ${b.ctx.userId}`;
    await s.end();
    expect(
      await login(db(), { email: b.email, password: PASSWORD, totp: await codeFor(a.secret, 1), ip: b.ip }),
    ).toEqual({ ok: false, reason: "totp_invalid" });
  });
});
