import { createHash } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { type TenantContext, withContext } from "@/db/context";
import { invitationByToken, listPendingInvitations } from "@/db/repos/invitations";
import { invitationHash } from "@/db/vault";
import { AppError } from "@/lib/errors";
import { revokeInvitation } from "@/server/access/invitations";
import { email, invite, superQuery } from "./invitation-fixture";
import { makeOrg, rawSql, type TestOrg } from "./support";

const isCode = (code: string) => (e: unknown) => e instanceof AppError && e.code === code;

let org: TestOrg;
let admin: TenantContext;

beforeAll(async () => {
  org = await makeOrg();
  admin = await org.member("admin");
});

describe("creating invitations", () => {
  it("an admin invites; only the token's keyed hash is stored (not its plain SHA-256), and the token is in no column anywhere", async () => {
    const to = email("newcomer");
    const created = await invite(admin, to);
    expect(created.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const [row] = await superQuery<{ token_hash: string; role: string; email: string; days: number }>(
      `select token_hash, role, email, round(extract(epoch from expires_at - created_at) / 86400)::int as days
         from invitations where id = $1`,
      [created.id],
    );
    // Keyed: a copy of the table cannot be checked against a link without the master key.
    expect(row.token_hash).not.toBe(createHash("sha256").update(created.token).digest("hex"));
    expect(row).toEqual({
      token_hash: await invitationHash(created.token),
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
