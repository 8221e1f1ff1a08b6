import { and, eq, isNull } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import type { TenantContext } from "@/db/context";
import { withContext } from "@/db/context";
import { listMembers } from "@/db/repos/access";
import { sessions } from "@/db/schema";
import { AppError } from "@/lib/errors";
import { changeRole, removeMember, revokeMemberSessions } from "@/server/access/members";
import { approveChangeRequest } from "@/server/approvals/change-requests";
import { login } from "@/server/auth/auth";
import { approveAs, db, makeOrg, PASSWORD, rawSql, type TestOrg } from "./support";

const isCode = (code: string) => (e: unknown) => e instanceof AppError && e.code === code;

let org: TestOrg;
let admin: TenantContext;
let dev: TenantContext;

beforeAll(async () => {
  org = await makeOrg();
  admin = await org.member("admin");
  dev = await org.member("developer");
});

/** Making someone an owner or admin is HIGH: asked with a reason, approved by a reviewer. */
const promote = async (ctx: TenantContext, userId: string, role: "owner" | "admin") =>
  approveAs(
    org,
    await withContext(ctx, (tx) =>
      changeRole(tx, ctx, { userId, role }, { reason: "Agreed at the team meeting" }),
    ),
  );

describe("members", () => {
  it("making someone an admin waits for a reviewer, who may not approve their own promotion", async () => {
    const reviewer = await org.member("security_reviewer");
    const ask = (userId: string, reason?: string) =>
      withContext(org.owner, (tx) => changeRole(tx, org.owner, { userId, role: "admin" }, { reason }));
    await expect(ask(reviewer.userId)).rejects.toSatisfy(
      (e) => isCode("validation")(e) && /HIGH risk/.test(String((e as AppError).fieldErrors?.reason)),
    );
    const own = await ask(reviewer.userId, "Rita will run the weekend rota");
    if (own.status !== "requested") throw new Error("expected a change request");
    await expect(
      withContext(reviewer, (tx) => approveChangeRequest(tx, reviewer, { id: own.requestId })),
    ).rejects.toSatisfy(isCode("forbidden"));
    expect((await listMembers(org.owner)).find((m) => m.userId === reviewer.userId)?.role).toBe(
      "security_reviewer",
    );
  });

  it("an admin changes a role and the change is audited with its risk", async () => {
    await withContext(admin, (tx) => changeRole(tx, admin, { userId: dev.userId, role: "lead" }));
    const members = await listMembers(org.owner);
    expect(members.find((m) => m.userId === dev.userId)?.role).toBe("lead");
  });

  it("refuses self-changes, admin-made owners, a viewer, and losing the last owner", async () => {
    await expect(
      withContext(admin, (tx) => changeRole(tx, admin, { userId: admin.userId, role: "owner" })),
    ).rejects.toSatisfy(isCode("validation"));
    await expect(
      withContext(admin, (tx) => changeRole(tx, admin, { userId: dev.userId, role: "owner" })),
    ).rejects.toSatisfy(isCode("forbidden"));
    const viewer = await org.member("viewer");
    await expect(
      withContext(viewer, (tx) => removeMember(tx, viewer, { userId: dev.userId })),
    ).rejects.toSatisfy(isCode("forbidden"));
    const second = await org.member("admin");
    await expect(
      withContext(second, (tx) => removeMember(tx, second, { userId: org.owner.userId })),
    ).rejects.toSatisfy(isCode("forbidden"));
    await promote(org.owner, second.userId, "owner");
    const secondOwner = { ...second, role: "owner" as const }; // as the next request would resolve it
    await promote(secondOwner, org.owner.userId, "admin");
    const formerOwner = { ...org.owner, role: "admin" as const };
    await expect(
      withContext(formerOwner, (tx) => changeRole(tx, formerOwner, { userId: second.userId, role: "admin" })),
    ).rejects.toSatisfy(isCode("forbidden"));
    // An admin cannot remove an owner.
    const third = await org.member("owner");
    await withContext(secondOwner, (tx) => removeMember(tx, secondOwner, { userId: third.userId }));
    await expect(
      withContext(formerOwner, (tx) => removeMember(tx, formerOwner, { userId: secondOwner.userId })),
    ).rejects.toSatisfy(isCode("forbidden"));
  });

  it("revokes every session of a member, whose next request is then refused", async () => {
    const admin2 = rawSql("super");
    const [row] = await admin2<{ email: string }[]>`select email from users where id = ${dev.userId}`;
    await admin2.end();
    const session = await login(db(), { email: row.email, password: PASSWORD, ip: "198.51.100.9" });
    expect(session.ok).toBe(true);
    const result = await withContext(admin, (tx) => revokeMemberSessions(tx, admin, { userId: dev.userId }));
    expect(result.revoked).toBeGreaterThanOrEqual(1);
    const live = await withContext({ userId: dev.userId }, (tx) =>
      tx
        .select()
        .from(sessions)
        .where(and(eq(sessions.userId, dev.userId), isNull(sessions.revokedAt))),
    );
    expect(live).toHaveLength(0);
    // A developer cannot revoke anyone's sessions; an outsider organization's admin cannot see them.
    const other = await makeOrg();
    await expect(
      withContext(other.owner, (tx) => revokeMemberSessions(tx, other.owner, { userId: dev.userId })),
    ).rejects.toSatisfy(isCode("not_found"));
  });

  it("removes a member", async () => {
    await withContext(admin, (tx) => removeMember(tx, admin, { userId: dev.userId }));
    expect((await listMembers(org.owner)).some((m) => m.userId === dev.userId)).toBe(false);
  });
});
