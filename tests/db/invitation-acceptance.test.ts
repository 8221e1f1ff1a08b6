/** Accepting invitations: joining signed in, with a password signed out, and the lookups' rate limit. */
import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { type TenantContext, withContext } from "@/db/context";
import { listMembers } from "@/db/repos/access";
import { invitationByToken, listPendingInvitations } from "@/db/repos/invitations";
import { invitationHash } from "@/db/vault";
import { AppError } from "@/lib/errors";
import { acceptInvitation, acceptWithPassword, revokeInvitation } from "@/server/access/invitations";
import { login } from "@/server/auth/auth";
import { inviteLimit, isLimited, recordFailure } from "@/server/auth/rate-limits";
import { createUser } from "@/server/auth/users";
import { accountExists, email, invite, roleOf, superQuery } from "./invitation-fixture";
import { db, expectDbError, makeOrg, PASSWORD, rawSql, type TestOrg } from "./support";

const isCode = (code: string) => (e: unknown) => e instanceof AppError && e.code === code;

let org: TestOrg;
let admin: TenantContext;

beforeAll(async () => {
  org = await makeOrg();
  admin = await org.member("admin");
});

describe("accepting invitations", () => {
  it("a new user creates the account and joins with the invited role, audited in the chain", async () => {
    const to = email("newcomer");
    const created = await invite(admin, to);
    expect(await accountExists(to)).toBe(false);
    const view = await invitationByToken(created.token);
    expect(view).toMatchObject({
      organizationName: org.slug,
      organizationSlug: org.slug,
      email: to,
      role: "developer",
      status: "pending",
    });
    expect(Object.keys(view ?? {})).not.toContain("tokenHash");
    const result = await acceptWithPassword(
      db(),
      { ip: "198.51.100.20", userAgent: "test" },
      { token: created.token, name: "New Comer", password: "a long new password" },
    );
    expect(result).toMatchObject({ status: "accepted", slug: org.slug, email: to });
    const signedIn = await login(db(), { email: to, password: "a long new password", ip: "198.51.100.20" });
    expect(signedIn.ok).toBe(true);
    const userId = signedIn.ok ? signedIn.user.id : "";
    expect(await roleOf(org, userId)).toBe("developer");
    expect((await invitationByToken(created.token))?.status).toBe("accepted");
    expect((await listPendingInvitations(admin)).map((i) => i.id)).not.toContain(created.id);
    const [audit] = await superQuery<{
      user_id: string;
      action: string;
      resource_type: string;
      details: object;
      email_under_digest: boolean;
    }>(
      `select user_id, action, resource_type, change_details || personal_details as details,
              change_details ? 'email' as email_under_digest, host(ip_address) as ip
         from environment_variable_audit where organization_id = $1 and resource_id = $2`,
      [org.id, userId],
    );
    expect(audit).toMatchObject({
      user_id: userId,
      action: "create",
      resource_type: "member",
      details: { role: "developer", email: to, invitation: created.id },
      // The address is kept apart from what the chain's digest covers, so erasure can remove it (0052).
      email_under_digest: false,
    });
    // The chain is whole, and the next row links to the accepted one.
    await invite(admin, email("after"));
    const [chain] = await superQuery<{ broken_seq: number | null }>(
      "select broken_seq from verify_audit_chain($1)",
      [org.id],
    );
    expect(chain.broken_seq).toBeNull();

    // Used: a second account cannot be made with it, and the joined user is told they are a member.
    expect(
      await acceptWithPassword(
        db(),
        {},
        { token: created.token, name: "Again", password: "another long one" },
      ),
    ).toMatchObject({ status: "used" });
    const again = await acceptInvitation(db(), { userId }, created.token);
    expect(again).toEqual({ status: "already_member", slug: org.slug });
    const members = (await listMembers(org.owner)).filter((m) => m.userId === userId);
    expect(members).toHaveLength(1);
  });

  it("an existing user joins by proving their password; a wrong one is a counted sign-in failure", async () => {
    const to = email("existing");
    const user = await createUser(db(), { email: to, name: "Existing", password: PASSWORD });
    const created = await invite(admin, to, "viewer");
    const ip = `198.51.100.${Math.floor(Math.random() * 250)}`;
    expect(
      await acceptWithPassword(
        db(),
        { ip },
        { token: created.token, name: "Hijack", password: "a long password!" },
      ),
    ).toMatchObject({ status: "invalid" });
    const [{ n, name }] = await superQuery<{ n: number; name: string }>(
      "select count(*)::int as n, min(name) as name from users where email = $1",
      [to],
    );
    expect({ n, name }).toEqual({ n: 1, name: "Existing" });
    expect(await roleOf(org, user.id)).toBeUndefined();
    expect((await invitationByToken(created.token))?.status).toBe("pending");
    expect(
      await acceptWithPassword(db(), { ip }, { token: created.token, name: "Ignored", password: PASSWORD }),
    ).toEqual({ status: "accepted", slug: org.slug, email: to });
    expect(await roleOf(org, user.id)).toBe("viewer");
  });

  it("throttles password guesses through an invitation like sign-in", async () => {
    const to = email("guessed");
    await createUser(db(), { email: to, name: "Guessed", password: PASSWORD });
    const created = await invite(admin, to, "viewer");
    const ip = `198.51.100.${Math.floor(Math.random() * 250)}`;
    const answers = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        acceptWithPassword(db(), { ip }, { token: created.token, name: "X", password: `guess number ${i}` }),
      ),
    );
    expect(answers.filter((a) => a.status === "invalid")).toHaveLength(5);
    expect(answers.filter((a) => a.status === "rate_limited")).toHaveLength(7);
    expect(await login(db(), { email: to, password: PASSWORD, ip })).toEqual({
      ok: false,
      reason: "rate_limited",
    });
  });

  it("refuses the wrong email, and leaves the invitation pending for the right one", async () => {
    const created = await invite(admin, email("intended"));
    const stranger = await createUser(db(), {
      email: email("stranger"),
      name: "Stranger",
      password: PASSWORD,
    });
    expect((await acceptInvitation(db(), { userId: stranger.id }, created.token)).status).toBe("wrong_email");
    expect(await roleOf(org, stranger.id)).toBeUndefined();
    expect((await invitationByToken(created.token))?.status).toBe("pending");
  });

  it("refuses expired, revoked and unknown invitations, without creating an account", async () => {
    const expiredTo = email("late");
    const expired = await invite(admin, expiredTo);
    await superQuery("update invitations set expires_at = now() - interval '1 minute' where id = $1", [
      expired.id,
    ]);
    expect((await invitationByToken(expired.token))?.status).toBe("expired");
    expect(
      await acceptWithPassword(
        db(),
        {},
        { token: expired.token, name: "Late", password: "a long password!" },
      ),
    ).toMatchObject({ status: "expired" });
    expect(await accountExists(expiredTo)).toBe(false);

    const revokedTo = email("withdrawn");
    const revoked = await invite(admin, revokedTo);
    await withContext(admin, (tx) => revokeInvitation(tx, admin, { id: revoked.id }));
    await expect(
      withContext(admin, (tx) => revokeInvitation(tx, admin, { id: revoked.id })),
    ).rejects.toSatisfy(isCode("not_found"));
    const [audit] = await superQuery<{ action: string; risk_level: string }>(
      "select action, risk_level from environment_variable_audit where resource_id = $1 and action = 'delete'",
      [revoked.id],
    );
    expect(audit).toEqual({ action: "delete", risk_level: "LOW" });
    const user = await createUser(db(), { email: revokedTo, name: "Withdrawn", password: PASSWORD });
    expect((await acceptInvitation(db(), { userId: user.id }, revoked.token)).status).toBe("revoked");
    expect(await roleOf(org, user.id)).toBeUndefined();

    const bogus = "A".repeat(43);
    expect(await invitationByToken(bogus)).toBeNull();
    expect((await acceptInvitation(db(), { userId: user.id }, bogus)).status).toBe("unknown");
    expect(
      await acceptWithPassword(db(), {}, { token: bogus, name: "Nobody", password: "a long password!" }),
    ).toMatchObject({ status: "unknown" });
  });

  it("the database accepts only for the user of the request context", async () => {
    const created = await invite(admin, email("victim"));
    const someone = await createUser(db(), { email: email("someone"), name: "Someone", password: PASSWORD });
    const hash = await invitationHash(created.token);
    await expectDbError(
      withContext({ userId: someone.id }, (tx) =>
        tx.execute(sql`select * from accept_invitation(${hash}, ${admin.userId}::uuid)`),
      ),
      /signed-in user only/,
    );
    // The app role reads invitations only through the function: no direct read by token without context.
    const app = rawSql("app");
    try {
      expect(await app`select id from invitations where token_hash = ${hash}`).toHaveLength(0);
    } finally {
      await app.end();
    }
  });
});

describe("invitation lookups are rate-limited per address", () => {
  it("refuses an address after 20 failures in 15 minutes, and not another address", async () => {
    const limit = inviteLimit(`203.0.113.${Math.floor(Math.random() * 250)}`);
    for (let i = 0; i < 19; i++) await recordFailure(db(), limit);
    expect(await isLimited(db(), limit)).toBe(false);
    await recordFailure(db(), limit);
    expect(await isLimited(db(), limit)).toBe(true);
    expect(await isLimited(db(), inviteLimit("192.0.2.1"))).toBe(false);
  });
});
