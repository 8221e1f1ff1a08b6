/**
 * `ringbearer login` (RFC 8628 device authorization, server/tokens/cli-login.ts) on a real database: a login starts,
 * a member approves its user code for environments they may use, and the CLI's poll receives a personal token once.
 * Polling too fast, a denied or ended login, an approver beyond their access or gone from the organization, two
 * polls at once, and the app role reading the table directly are each refused.
 */
import { describe, expect, it } from "vitest";
import { withContext } from "@/db/context";
import { tokenHash } from "@/db/vault";
import { newUserCode, normalUserCode } from "@/lib/cli-login";
import { AppError } from "@/lib/errors";
import { readableEnvironments } from "@/server/api/listing";
import { decideLogin, pendingLogin, pollLogin, startCliLogin } from "@/server/tokens/cli-login";
import { authenticateServiceToken, revokeServiceToken } from "@/server/tokens/service-tokens";
import { db, makeOrg, rawSql, type TestOrg } from "./support";

const isCode = (code: string) => (e: unknown) => e instanceof AppError && e.code === code;

/** Lets the next poll through at once (as if the interval had passed), or ends the login. */
async function age(deviceCode: string, what: "poll" | "expiry") {
  const s = rawSql("super");
  try {
    const hash = await tokenHash(`cli-device:${deviceCode}`);
    if (what === "poll")
      await s`update cli_logins set last_polled_at = now() - interval '1 minute' where device_code_hash = ${hash}`;
    else
      await s`update cli_logins set expires_at = now() - interval '1 second' where device_code_hash = ${hash}`;
  } finally {
    await s.end();
  }
}

async function started(org: TestOrg, client = "build-box") {
  const login = await startCliLogin({
    client,
    ip: `10.9.${Math.floor(Math.random() * 250)}.1`,
    userAgent: "ringbearer-cli/0.1.0",
  });
  return { ...login, org };
}

describe("ringbearer login", () => {
  it("hands a token for what the approver chose to the CLI once, after it waited its interval", async () => {
    const org = await makeOrg();
    const developer = await org.member("developer");
    const login = await started(org);
    expect(login.userCode).toMatch(/^[BCDFGHJKLMNPQRSTVWXZ]{4}-[BCDFGHJKLMNPQRSTVWXZ]{4}$/);
    expect(login.deviceCode).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(await pollLogin(login.deviceCode)).toEqual({ status: "pending" });
    await expect(pollLogin(login.deviceCode)).rejects.toSatisfy(isCode("rate_limited"));

    // The person sees where it comes from, typed any way.
    const shown = await withContext(developer, (tx) =>
      pendingLogin(tx, login.userCode.toLowerCase().replace("-", " ")),
    );
    expect(shown).toMatchObject({ client: "build-box", userAgent: "ringbearer-cli/0.1.0" });
    expect(shown?.requestedFrom).toMatch(/^10\.9\./);

    // A developer writes staging but not production: a read-write token for production is refused, nothing decided.
    await expect(
      withContext(developer, (tx) =>
        decideLogin(tx, developer, {
          code: login.userCode,
          approve: true,
          environments: ["staging", "production"],
          access: "read-write",
        }),
      ),
    ).rejects.toSatisfy(
      (e) => e instanceof AppError && Boolean(e.fieldErrors?.environments?.[0]?.includes("production")),
    );
    await withContext(developer, (tx) =>
      decideLogin(tx, developer, {
        code: login.userCode,
        approve: true,
        environments: ["staging"],
        access: "read-write",
      }),
    );
    // Decided: the code is no longer pending for anyone.
    expect(await withContext(org.owner, (tx) => pendingLogin(tx, login.userCode))).toBeNull();

    await age(login.deviceCode, "poll");
    const polled = await pollLogin(login.deviceCode);
    if (polled.status !== "approved") throw new Error(`expected approval, got ${polled.status}`);
    expect(polled).toMatchObject({ organization: org.slug, environments: ["staging"], access: "read-write" });
    expect(polled.expiresAt.getTime() - Date.now()).toBeGreaterThan(11.9 * 3_600_000);
    expect(polled.expiresAt.getTime() - Date.now()).toBeLessThanOrEqual(12 * 3_600_000);
    const token = await authenticateServiceToken(db(), polled.token, null);
    expect(token).toMatchObject({
      createdBy: developer.userId,
      access: "read-write",
      creatorRole: "developer",
    });
    expect(await readableEnvironments({ kind: "token", token })).toEqual([
      { name: "staging", type: "staging" },
    ]);

    // Used: a second poll gets nothing.
    await age(login.deviceCode, "poll");
    expect(await pollLogin(login.deviceCode)).toEqual({ status: "expired" });

    // Its owner revokes their own personal token; another member's service token is not theirs to revoke.
    await withContext(developer, (tx) => revokeServiceToken(tx, developer, token.tokenId));
    await expect(authenticateServiceToken(db(), polled.token, null)).rejects.toSatisfy(
      isCode("token:revoked"),
    );
  });

  it("tells a denied, an ended and an unknown login apart, and decides nothing for a wrong code", async () => {
    const org = await makeOrg();
    const denied = await started(org);
    await withContext(org.owner, (tx) =>
      decideLogin(tx, org.owner, { code: denied.userCode, approve: false, environments: [], access: "read" }),
    );
    await age(denied.deviceCode, "poll");
    expect(await pollLogin(denied.deviceCode)).toEqual({ status: "denied" });

    const ended = await started(org);
    await age(ended.deviceCode, "expiry");
    expect(await pollLogin(ended.deviceCode)).toEqual({ status: "expired" });
    expect(await withContext(org.owner, (tx) => pendingLogin(tx, ended.userCode))).toBeNull();
    await expect(
      withContext(org.owner, (tx) =>
        decideLogin(tx, org.owner, {
          code: ended.userCode,
          approve: true,
          environments: ["staging"],
          access: "read",
        }),
      ),
    ).rejects.toSatisfy((e) => e instanceof AppError && Boolean(e.fieldErrors?.code));

    await expect(pollLogin("x".repeat(43))).rejects.toSatisfy(isCode("not_found"));
    await expect(pollLogin("not a device code")).rejects.toSatisfy(isCode("not_found"));
    expect(normalUserCode("AEIO-UAEI")).toBeNull();
    expect(normalUserCode(newUserCode())).toMatch(/^[A-Z]{8}$/);
  });

  it("mints one token for two polls at once, and none once the approver has left", async () => {
    const org = await makeOrg();
    const login = await started(org);
    await withContext(org.owner, (tx) =>
      decideLogin(tx, org.owner, {
        code: login.userCode,
        approve: true,
        environments: ["staging"],
        access: "read",
      }),
    );
    const both = await Promise.allSettled([pollLogin(login.deviceCode), pollLogin(login.deviceCode)]);
    const approved = both.filter((r) => r.status === "fulfilled" && r.value.status === "approved");
    expect(approved).toHaveLength(1);
    const s = rawSql("super");
    try {
      const [{ n }] = await s<{ n: number }[]>`
        select count(*)::int as n from service_tokens where organization_id = ${org.id} and kind = 'personal'`;
      expect(n).toBe(1);

      const leaver = await org.member("admin");
      const later = await started(org);
      await withContext(leaver, (tx) =>
        decideLogin(tx, leaver, {
          code: later.userCode,
          approve: true,
          environments: ["production"],
          access: "read",
        }),
      );
      await s`delete from memberships where user_id = ${leaver.userId}`;
      expect(await pollLogin(later.deviceCode)).toEqual({ status: "denied" });
      const [{ m }] = await s<{ m: number }[]>`
        select count(*)::int as m from service_tokens where created_by = ${leaver.userId}`;
      expect(m).toBe(0);
    } finally {
      await s.end();
    }
  });

  it("keeps the table out of the app role's reach but for the functions", async () => {
    const app = rawSql("app");
    try {
      await expect(app`select * from cli_logins`).rejects.toThrow(/permission denied/);
      await expect(app`update cli_logins set status = 'approved'`).rejects.toThrow(/permission denied/);
    } finally {
      await app.end();
    }
  });
});
