import { createHash } from "node:crypto";
import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { type TenantContext, withContext } from "@/db/context";
import { login } from "@/db/mutations/auth";
import {
  acceptInvitation,
  acceptWithPassword,
  createInvitation,
  revokeInvitation,
} from "@/db/mutations/invitations";
import { inviteLimit, isLimited, recordFailure } from "@/db/mutations/rate-limits";
import { createUser } from "@/db/mutations/users";
import { listMembers } from "@/db/queries/access";
import { invitationByToken, listPendingInvitations } from "@/db/queries/invitations";
import { AppError } from "@/lib/errors";
import type { Role } from "@/lib/roles";
import { db, expectDbError, makeOrg, PASSWORD, rawSql, type TestOrg, unique } from "./support";

const isCode = (code: string) => (e: unknown) => e instanceof AppError && e.code === code;

let org: TestOrg;
let admin: TenantContext;

beforeAll(async () => {
  org = await makeOrg();
  admin = await org.member("admin");
});

const invite = (ctx: TenantContext, email: string, role: Role = "developer") =>
  withContext(ctx, (tx) => createInvitation(tx, ctx, { email, role }));
const email = (prefix: string) => `${unique(prefix)}@invited.example`;
const roleOf = async (o: TestOrg, userId: string) =>
  (await listMembers(o.owner)).find((m) => m.userId === userId)?.role;

/** Whether an account exists for the email (as the superuser: the app role cannot tell). */
async function accountExists(address: string): Promise<boolean> {
  const [{ n }] = await superQuery<{ n: number }>("select count(*)::int as n from users where email = $1", [
    address,
  ]);
  return n > 0;
}

async function superQuery<T extends object>(query: string, params: unknown[] = []): Promise<T[]> {
  const s = rawSql("super");
  try {
    return (await s.unsafe(query, params as never[])) as unknown as T[];
  } finally {
    await s.end();
  }
}

describe("creating invitations", () => {
  it("an admin invites; only the token's SHA-256 is stored, and the token is in no column anywhere", async () => {
    const to = email("newcomer");
    const created = await invite(admin, to);
    expect(created.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const [row] = await superQuery<{ token_hash: string; role: string; email: string; days: number }>(
      `select token_hash, role, email, round(extract(epoch from expires_at - created_at) / 86400)::int as days
         from invitations where id = $1`,
      [created.id],
    );
    expect(row).toEqual({
      token_hash: createHash("sha256").update(created.token).digest("hex"),
      role: "developer",
      email: to,
      days: 7,
    });
    const columns = await superQuery<{ table_name: string; column_name: string }>(
      `select table_name, column_name from information_schema.columns
        where table_schema = 'public' and data_type in ('text', 'character varying', 'jsonb', 'ARRAY', 'json')`,
    );
    const s = rawSql("super");
    try {
      for (const c of columns) {
        const [hit] = await s.unsafe(
          `select count(*)::int as n from "${c.table_name}" where "${c.column_name}"::text like $1`,
          [`%${created.token}%`],
        );
        expect(hit.n, `${c.table_name}.${c.column_name}`).toBe(0);
      }
    } finally {
      await s.end();
    }
  });

  it("is audited with its risk: inviting an admin is HIGH, a developer MEDIUM", async () => {
    const dev = await invite(admin, email("dev"));
    const boss = await invite(org.owner, email("boss"), "admin");
    const rows = await superQuery<{
      resource_id: string;
      action: string;
      risk_level: string;
      user_id: string;
    }>(
      `select resource_id, action, risk_level, user_id from environment_variable_audit
        where resource_type = 'invitation' and resource_id = any($1::uuid[])`,
      [[dev.id, boss.id]],
    );
    expect(rows).toEqual(
      expect.arrayContaining([
        { resource_id: dev.id, action: "create", risk_level: "MEDIUM", user_id: admin.userId },
        { resource_id: boss.id, action: "create", risk_level: "HIGH", user_id: org.owner.userId },
      ]),
    );
  });

  it("refuses a developer, an admin inviting an owner, and an existing member", async () => {
    const dev = await org.member("developer");
    await expect(invite(dev, email("x"))).rejects.toSatisfy(isCode("forbidden"));
    await expect(invite(admin, email("x"), "owner")).rejects.toSatisfy(isCode("forbidden"));
    const owner = await invite(org.owner, email("co-owner"), "owner");
    expect(owner.role).toBe("owner");
    const [member] = await superQuery<{ email: string }>("select email from users where id = $1", [
      dev.userId,
    ]);
    await expect(invite(admin, member.email)).rejects.toSatisfy(
      (e) => isCode("validation")(e) && Boolean((e as AppError).fieldErrors?.email),
    );
  });

  it("re-inviting the same email withdraws the pending one", async () => {
    const to = email("again");
    const first = await invite(admin, to);
    const second = await invite(admin, to, "viewer");
    expect((await invitationByToken(first.token))?.status).toBe("revoked");
    expect((await invitationByToken(second.token))?.status).toBe("pending");
    const pending = (await listPendingInvitations(admin)).filter((i) => i.email === to);
    expect(pending).toEqual([expect.objectContaining({ id: second.id, role: "viewer" })]);
  });
});

describe("pending invitations across organizations", () => {
  it("another organization's admin can neither see nor revoke them, and RLS hides them from the app role", async () => {
    const created = await invite(admin, email("private"));
    const other = await makeOrg();
    const otherAdmin = await other.member("admin");
    expect((await listPendingInvitations(otherAdmin)).map((i) => i.id)).not.toContain(created.id);
    await expect(
      withContext(otherAdmin, (tx) => revokeInvitation(tx, otherAdmin, { id: created.id })),
    ).rejects.toSatisfy(isCode("not_found"));
    const app = rawSql("app");
    try {
      const noContext = await app`select id from invitations where id = ${created.id}`;
      expect(noContext).toHaveLength(0);
      const otherOrg = await app.begin(async (tx) => {
        await tx`select set_config('app.user_id', ${otherAdmin.userId}, true),
                        set_config('app.organization_id', ${other.id}, true)`;
        return tx`select id from invitations`;
      });
      expect(otherOrg).toHaveLength(0);
      const own = await app.begin(async (tx) => {
        await tx`select set_config('app.user_id', ${admin.userId}, true),
                        set_config('app.organization_id', ${org.id}, true)`;
        return tx`select id from invitations where id = ${created.id}`;
      });
      expect(own).toHaveLength(1);
    } finally {
      await app.end();
    }
    expect((await invitationByToken(created.token))?.status).toBe("pending");
  });
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
    }>(
      `select user_id, action, resource_type, change_details as details, host(ip_address) as ip
         from environment_variable_audit where organization_id = $1 and resource_id = $2`,
      [org.id, userId],
    );
    expect(audit).toMatchObject({
      user_id: userId,
      action: "create",
      resource_type: "member",
      details: { role: "developer", email: to, invitation: created.id },
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
    const hash = createHash("sha256").update(created.token).digest("hex");
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
