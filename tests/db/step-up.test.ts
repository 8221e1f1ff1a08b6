import { generate } from "otplib";
import { beforeAll, describe, expect, it } from "vitest";
import { type TenantContext, withContext } from "@/db/context";
import type { AppError } from "@/lib/errors";
import { LOGIN_LIMITS } from "@/server/auth/auth";
import { beginTotpEnrolment, confirmTotpEnrolment, reauthenticate } from "@/server/auth/mfa";
import { revokeMySessions } from "@/server/auth/sessions";
import { revealValue, setValue } from "@/server/values/values";
import { createVariable } from "@/server/variables/variables";
import { ageVerification, sessionRow, withSession } from "./session-fixture";
import { approveAs, db, makeOrg, PASSWORD, type TestOrg } from "./support";
import { isCode } from "./value-fixture";

let org: TestOrg;
const ids: Record<string, string> = {};

beforeAll(async () => {
  org = await makeOrg();
  for (const [name, securityClassification, isWeddingCritical] of [
    ["DATABASE_URL", "wedding_day_critical", true],
    ["STRIPE_SECRET_KEY", "confidential", true],
    ["ANALYTICS_ID", "confidential", false],
  ] as const) {
    ids[name] = (
      await withContext(org.owner, (tx) =>
        createVariable(tx, org.owner, {
          name,
          variableType: "secret",
          securityClassification,
          isRequired: false,
          isWeddingCritical,
          tags: [],
        }),
      )
    ).id;
    for (const env of ["staging", "production"] as const)
      await approveAs(
        org,
        await withContext(org.owner, (tx) =>
          setValue(tx, org.owner, {
            variableId: ids[name],
            environmentId: org.env[env],
            value: `${name.toLowerCase()}-${env}`,
            expectedVersion: 0,
            note: "Seeded for the step-up test",
          }),
        ),
      );
  }
});

const reveal = (ctx: TenantContext, name: string, env: "staging" | "production" = "production") =>
  withContext(ctx, (tx) => revealValue(tx, ctx, { variableId: ids[name], environmentId: org.env[env] })).then(
    (r) => r.value,
  );

/** An admin of the organization, signed in just now from an address of their own. */
async function admin() {
  const member = await org.member("admin");
  return withSession({
    ...member,
    ip: `198.19.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}`,
  });
}

describe("step-up before revealing wedding-critical production values", () => {
  it("reveals right after sign-in, and asks again once the verification is five minutes old", async () => {
    const ctx = await admin();
    expect(await reveal(ctx, "DATABASE_URL")).toBe("database_url-production");
    await ageVerification(ctx.sessionId, 5);
    await expect(reveal(ctx, "DATABASE_URL")).rejects.toSatisfy(
      (e) => isCode("reauth_required")(e) && (e as AppError).meta?.totp === false,
    );
    // The flag alone (not the classification) is enough.
    await expect(reveal(ctx, "STRIPE_SECRET_KEY")).rejects.toSatisfy(isCode("reauth_required"));
    // Not needed for other values, or for the same values outside production.
    expect(await reveal(ctx, "ANALYTICS_ID")).toBe("analytics_id-production");
    expect(await reveal(ctx, "DATABASE_URL", "staging")).toBe("database_url-staging");
  });

  it("reveals again after the password, and refuses a wrong password (counted)", async () => {
    const ctx = await admin();
    await ageVerification(ctx.sessionId, 30);
    await expect(reauthenticate(db(), ctx, { password: "not my password" })).rejects.toSatisfy(
      (e) => isCode("validation")(e) && Boolean((e as AppError).fieldErrors?.password),
    );
    await expect(reveal(ctx, "DATABASE_URL")).rejects.toSatisfy(isCode("reauth_required"));
    await reauthenticate(db(), ctx, { password: PASSWORD });
    expect(await reveal(ctx, "DATABASE_URL")).toBe("database_url-production");
    expect((await sessionRow(ctx.sessionId)).mfa).toBe(false);
  });

  it("fails closed without a session, with a revoked one, or with someone else's", async () => {
    const ctx = await admin();
    const { sessionId: _drop, ...noSession } = ctx;
    await expect(reveal(noSession, "DATABASE_URL")).rejects.toSatisfy(isCode("reauth_required"));
    const other = await admin();
    await expect(reveal({ ...ctx, sessionId: other.sessionId }, "DATABASE_URL")).rejects.toSatisfy(
      isCode("reauth_required"),
    );
    await withContext(ctx, (tx) => revokeMySessions(tx, ctx, { sessionId: ctx.sessionId }));
    await expect(reveal(ctx, "DATABASE_URL")).rejects.toSatisfy(isCode("reauth_required"));
  });

  it("still refuses a reveal the caller may not make, before asking them to re-authenticate", async () => {
    const viewer = await withSession(await org.member("viewer"));
    await ageVerification(viewer.sessionId, 30);
    await expect(reveal(viewer, "DATABASE_URL")).rejects.toSatisfy(isCode("forbidden"));
  });

  it("takes an authentication code from a user with two-factor authentication, once", async () => {
    const ctx = await admin();
    const { secret } = await beginTotpEnrolment(db(), ctx);
    const epoch = Math.floor(Date.now() / 1000);
    await confirmTotpEnrolment(db(), ctx, await generate({ secret, epoch }));
    await ageVerification(ctx.sessionId, 10);
    await expect(reveal(ctx, "DATABASE_URL")).rejects.toSatisfy(
      (e) => isCode("reauth_required")(e) && (e as AppError).meta?.totp === true,
    );
    const next = await generate({ secret, epoch: epoch + 30 });
    await reauthenticate(db(), ctx, { code: next });
    expect(await reveal(ctx, "DATABASE_URL")).toBe("database_url-production");
    expect((await sessionRow(ctx.sessionId)).mfa).toBe(true);
    await ageVerification(ctx.sessionId, 10);
    await expect(reauthenticate(db(), ctx, { code: next })).rejects.toSatisfy(
      (e) => isCode("validation")(e) && Boolean((e as AppError).fieldErrors?.code),
    );
    await expect(reveal(ctx, "DATABASE_URL")).rejects.toSatisfy(isCode("reauth_required"));
  });

  it("is rate-limited like sign-in", async () => {
    const ctx = await admin();
    await ageVerification(ctx.sessionId, 10);
    for (let i = 0; i < LOGIN_LIMITS.perAccountAddress; i++)
      await expect(reauthenticate(db(), ctx, { password: `guess-${i}` })).rejects.toSatisfy(
        isCode("validation"),
      );
    await expect(reauthenticate(db(), ctx, { password: PASSWORD })).rejects.toSatisfy(isCode("rate_limited"));
    await expect(reveal(ctx, "DATABASE_URL")).rejects.toSatisfy(isCode("reauth_required"));
  });
});
