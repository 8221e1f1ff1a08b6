/**
 * Erasure (issue 17, GDPR): a person erases their account, or the operator does with `npm run ops:erase`. Their
 * name, address, password, second factor, sessions and memberships go, and so do the addresses, browsers and
 * e-mail mentions the audit trail holds of them — in every organization — while every chain still verifies:
 * rows written since chain v2 by their digest (which covers a salted hash of the personal fields), rows written
 * before it by their links. Nobody else's data changes; tampering with kept or erased personal fields is caught.
 */
import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { type RequestContext, type TenantContext, withContext } from "@/db/context";
import { createInvitation } from "@/server/access/invitations";
import { eraseMyAccount } from "@/server/account/erasure";
import { act, auditRows, BROWSER, chainOf, erasedAt, sqlEmail } from "./erasure-fixture";
import { withSession } from "./session-fixture";
import { makeOrg, rawSql, type TestOrg } from "./support";
import { isCode } from "./value-fixture";

let a: TestOrg;
let b: TestOrg;
let person: TenantContext & { email: string };
let bystander: TenantContext & { email: string };

/** The newest row of the organization made a chain-v1 row (as written before 0052), the head moved with it. */
async function makeNewestRowV1(orgId: string) {
  const su = rawSql("super");
  try {
    await su.begin(async (tx) => {
      await tx`set local session_replication_role = replica`;
      const [row] = await tx<{ id: string }[]>`
        update environment_variable_audit a set chain_version = 1, personal_salt = null, personal_hash = null,
               change_details = a.change_details || coalesce(a.personal_details, '{}'), personal_details = null
         where a.organization_id = ${orgId} and a.seq = (select max(seq) from environment_variable_audit
                                                          where organization_id = ${orgId})
        returning a.id`;
      const [hashed] = await tx<{ h: string }[]>`
        update environment_variable_audit a set row_hash = audit_row_digest(a) where a.id = ${row.id}
        returning row_hash as h`;
      await tx`update audit_chain_heads set row_hash = ${hashed.h} where organization_id = ${orgId}`;
    });
  } finally {
    await su.end();
  }
}

beforeAll(async () => {
  a = await makeOrg();
  b = await makeOrg();
  person = await a.member("developer");
  bystander = await a.member("admin");
  // The person is also an admin of b (as a second membership of the same account).
  const su = rawSql("super");
  try {
    await su`insert into memberships (organization_id, user_id, role) values (${b.id}, ${person.userId}, 'admin')`;
  } finally {
    await su.end();
  }
});

describe("erasing one's own account", () => {
  it("needs a recent sign-in and the address typed again; refuses an only owner, naming the organization", async () => {
    await expect(eraseMyAccount(person, { confirm: person.email })).rejects.toSatisfy(
      isCode("reauth_required"),
    );
    const signedIn = await withSession(person);
    const wrong = await eraseMyAccount(signedIn, { confirm: "someone@else.example" }).catch((e) => e);
    expect(wrong).toSatisfy(isCode("validation"));
    expect(wrong.fieldErrors.confirm[0]).toMatch(/e-mail address/);

    const loner = await makeOrg();
    const owner = await withSession(loner.owner);
    const ownerEmail = await withContext(
      owner,
      async (tx) => (await tx.execute<{ email: string }>(sqlEmail(owner.userId)))[0].email,
    );
    const refused = await eraseMyAccount(owner, { confirm: ownerEmail }).catch((e) => e);
    expect(refused).toSatisfy(isCode("conflict:sole_owner"));
    expect(refused.meta.organization).toBe(loner.slug);
    // Nothing happened to them.
    expect(await erasedAt(owner.userId)).toBeNull();
  });

  it("removes them and every personal field the trail holds of them, in every organization; every chain verifies", async () => {
    // Their own rows in both organizations, a row mentioning their address (an invitation to it, by someone
    // else), a bystander's row, and — in b — a row of theirs from before chain v2.
    await act(person, "203.0.113.7");
    await act({ ...person, organizationId: b.id, role: "admin" }, "203.0.113.8");
    await act(bystander, "198.51.100.9");
    const inviter = { ...bystander, ip: "198.51.100.9", userAgent: BROWSER };
    await withContext(inviter, (tx) =>
      createInvitation(tx, inviter, { email: person.email.toUpperCase(), role: "viewer" }),
    );
    await act({ ...person, organizationId: b.id, role: "admin" }, "203.0.113.10", { email: person.email });
    await makeNewestRowV1(b.id);
    for (const org of [a, b]) expect(await chainOf(org)).toMatchObject({ brokenSeq: null });

    const before = await auditRows(a.id, b.id);
    const invitation = before.find((r) => r.personal_details?.email === person.email.toUpperCase());
    expect(invitation, "the invitation row keeps the address apart from its digest").toBeDefined();
    expect(invitation?.change_details).not.toHaveProperty("email");
    expect(before.filter((r) => r.chain_version === 1)).toHaveLength(1);

    const signedIn = await withSession(person);
    const erased = await eraseMyAccount(
      { ...signedIn, ip: "203.0.113.99", userAgent: BROWSER },
      {
        confirm: ` ${person.email.toUpperCase()} `.trim(),
      },
    );
    expect(erased).toMatchObject({ organizations: 2, invitations: 1 });
    expect(erased.sessions).toBeGreaterThanOrEqual(1);

    const after = await auditRows(a.id, b.id);
    const theirs = after.filter((r) => r.user_id === person.userId);
    expect(theirs.length).toBeGreaterThanOrEqual(5);
    for (const r of theirs) {
      expect([r.ip, r.user_agent, r.session_id, r.personal_details]).toEqual([null, null, null, null]);
    }
    const text = JSON.stringify(after);
    expect(text).not.toContain(person.email);
    expect(text).not.toContain(person.email.toUpperCase());
    expect(text).not.toContain("203.0.113.");
    // Each organization records that they left, and why.
    for (const org of [a, b])
      expect(
        after.some(
          (r) => r.organization_id === org.id && r.change_details.erased === true && r.change_details.role,
        ),
      ).toBe(true);
    // The bystander's own rows are as they were.
    expect(after.filter((r) => r.ip === "198.51.100.9" && r.user_id === bystander.userId).length).toBe(
      before.filter((r) => r.ip === "198.51.100.9" && r.user_id === bystander.userId).length - 1,
    ); // (less the invitation row, which mentioned the person's address)
    for (const org of [a, b]) expect(await chainOf(org)).toMatchObject({ brokenSeq: null, reason: null });

    // The account keeps its id and nothing else; it cannot sign in; its memberships and sessions are gone.
    const su = rawSql("super");
    try {
      const [user] = await su`select name, email, password_hash, totp_secret, disabled_at, erased_at
                                from users where id = ${person.userId}`;
      expect(user).toMatchObject({ name: "Erased user", email: `erased-${person.userId}@erased.invalid` });
      expect(user.password_hash).toBe("!");
      expect(user.disabled_at).not.toBeNull();
      const [left] = await su`select
          (select count(*)::int from memberships where user_id = ${person.userId}) as memberships,
          (select count(*)::int from sessions where user_id = ${person.userId}) as sessions,
          (select count(*)::int from memberships where user_id = ${bystander.userId}) as bystander`;
      expect(left).toEqual({ memberships: 0, sessions: 0, bystander: 1 });
    } finally {
      await su.end();
    }
    expect(await erasedAt(person.userId)).not.toBeNull();
    // Their session ended with it: nothing more can be done as them.
    await expect(eraseMyAccount(signedIn, { confirm: person.email })).rejects.toSatisfy(
      isCode("reauth_required"),
    );
  });

  it("leaves kept personal fields checked by the chain, and erased ones too", async () => {
    const su = rawSql("super");
    try {
      const tamper = async (where: string, set: string) =>
        su.begin(async (tx) => {
          await tx`set local session_replication_role = replica`;
          await tx.unsafe(
            `update environment_variable_audit set ${set} where organization_id = $1 and ${where}`,
            [a.id],
          );
        });
      await tamper(`user_id = '${bystander.userId}' and ip_address is not null`, "ip_address = '10.0.0.1'");
      expect((await chainOf(a)).reason).toMatch(/personal fields do not match/);
      await tamper(`ip_address = '10.0.0.1'`, "ip_address = '198.51.100.9'");
      expect(await chainOf(a)).toMatchObject({ brokenSeq: null });
      await tamper(`user_id = '${person.userId}'`, "user_agent = 'put back'");
      expect((await chainOf(a)).reason).toMatch(/changed after erasure/);
      await tamper(`user_id = '${person.userId}'`, "user_agent = null");
      expect(await chainOf(a)).toMatchObject({ brokenSeq: null });
    } finally {
      await su.end();
    }
  });

  it("is the person's own, or an operator's: anyone else calling erase_user is refused by the database", async () => {
    const other = await a.member("viewer");
    const caller: RequestContext = { userId: bystander.userId };
    await expect(withContext(caller, (tx) => tx.execute(sqlErase(other.userId)))).rejects.toSatisfy(
      (e: unknown) =>
        /only the person, an operator or the owner/.test(String((e as { cause?: unknown }).cause)),
    );
    // An operator may not be erased while they are one.
    const su = rawSql("super");
    try {
      await su`insert into installation_operators (user_id, granted_by) values (${other.userId}, 'test')`;
    } finally {
      await su.end();
    }
    const signedIn = await withSession(other);
    await expect(eraseMyAccount(signedIn, { confirm: other.email })).rejects.toSatisfy(
      isCode("conflict:operator"),
    );
  });
});

function sqlErase(userId: string) {
  return sql`select erase_user(${userId})`;
}
