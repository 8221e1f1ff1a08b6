import { eq, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { withContext } from "@/db/context";
import { emergencySessions, environments, environmentVariableAudit, protectionWindows } from "@/db/schema";
import { AppError } from "@/lib/errors";
import { setValue } from "@/server/values/values";
import { createVariable } from "@/server/variables/variables";
import {
  applied,
  approveAs,
  expectDbError,
  makeOrg,
  rawSql,
  startWeddingHours,
  type TestOrg,
} from "./support";

async function lockUntil(org: TestOrg, at: string) {
  return withContext(org.owner, async (tx) => {
    const [row] = await tx.execute<{ until: string | null }>(
      sql`select to_char(wedding_lock_until(${org.id}, ${at}::timestamptz) at time zone 'UTC', 'YYYY-MM-DD HH24:MI') as until`,
    );
    return row.until;
  });
}

describe("wedding_lock_until (the organization's windows, in its time zone)", () => {
  let org: TestOrg;
  beforeAll(async () => {
    org = await makeOrg();
    // As the operator (no app context): a time zone change is otherwise four-eyes (finding 3).
    const s = rawSql("super");
    await s`update organizations set time_zone = 'Europe/London' where id = ${org.id}`;
    await s.end();
    await withContext(org.owner, async (tx) => {
      // The seed's default: Friday 18:00 to the end of Sunday.
      await tx
        .insert(protectionWindows)
        .values({ organizationId: org.id, startDay: 5, startTime: "18:00", endDay: 7, endTime: "24:00:00" });
    });
  });

  // 2026-11-27 is a Friday; London is on UTC in November and on UTC+1 in July.
  it.each([
    ["Friday 17:59", "2026-11-27 17:59Z", null],
    ["Friday 18:00", "2026-11-27 18:00Z", "2026-11-30 00:00"],
    ["Saturday noon", "2026-11-28 12:00Z", "2026-11-30 00:00"],
    ["Sunday 23:59", "2026-11-29 23:59Z", "2026-11-30 00:00"],
    ["Monday 00:00", "2026-11-30 00:00Z", null],
    ["Wednesday", "2026-11-25 12:00Z", null],
    ["Friday 17:30 UTC in summer is 18:30 in London", "2026-07-03 17:30Z", "2026-07-05 23:00"],
  ])("%s", async (_label, at, expected) => {
    expect(await lockUntil(org, at)).toBe(expected);
  });

  it("handles a window that wraps over the end of the week and one-off blackouts", async () => {
    const wrap = await makeOrg();
    await withContext(wrap.owner, async (tx) => {
      await tx
        .insert(protectionWindows)
        .values({ organizationId: wrap.id, startDay: 7, startTime: "22:00", endDay: 1, endTime: "02:00" });
      await tx.execute(sql`insert into protection_blackouts (organization_id, starts_at, ends_at, reason)
        values (${wrap.id}, '2026-12-02 09:00Z', '2026-12-02 21:00Z', 'Flagship wedding')`);
    });
    expect(await lockUntil(wrap, "2026-11-29 23:00Z")).toBe("2026-11-30 02:00");
    expect(await lockUntil(wrap, "2026-11-30 01:00Z")).toBe("2026-11-30 02:00");
    expect(await lockUntil(wrap, "2026-11-30 02:00Z")).toBeNull();
    expect(await lockUntil(wrap, "2026-12-02 12:00Z")).toBe("2026-12-02 21:00");
    expect(await lockUntil(wrap, "2026-12-02 21:00Z")).toBeNull();
  });
});

describe("the lock on protected environments", () => {
  let org: TestOrg;
  let variableId: string;
  beforeAll(async () => {
    org = await makeOrg();
    const v = await withContext(org.owner, (tx) =>
      createVariable(tx, org.owner, {
        name: "RESEND_API_KEY",
        variableType: "api_key",
        securityClassification: "confidential",
        isRequired: true,
        isWeddingCritical: true,
        tags: [],
      }),
    );
    variableId = v.id;
    await approveAs(
      org,
      await withContext(org.owner, (tx) =>
        setValue(tx, org.owner, {
          variableId,
          environmentId: org.env.production,
          value: "re_before",
          expectedVersion: 0,
          note: "Resend production key",
        }),
      ),
    );
    await startWeddingHours(org);
  });

  it("refuses a write through the app with locked:wedding_hours, and leaves the value alone", async () => {
    const attempt = withContext(org.owner, (tx) =>
      setValue(tx, org.owner, {
        variableId,
        environmentId: org.env.production,
        value: "re_after",
        expectedVersion: 1,
      }),
    );
    await expect(attempt).rejects.toSatisfy(
      (e) => e instanceof AppError && e.code === "locked:wedding_hours",
    );
    const s = rawSql("super");
    const [row] = await s`select version from environment_variable_values where variable_id = ${variableId}`;
    await s.end();
    expect(row.version).toBe(1);
  });

  it("refuses a crafted SQL write in the database itself, even from the owner role", async () => {
    const owner = rawSql("owner");
    try {
      await expect(
        owner.begin(async (tx) => {
          await tx`select set_config('app.organization_id', ${org.id}, true), set_config('app.user_id', ${org.owner.userId}, true)`;
          await tx`update environment_variable_values set value_hash = 'x' where variable_id = ${variableId}`;
        }),
      ).rejects.toThrow(/locked:wedding_hours/);
    } finally {
      await owner.end();
    }
  });

  it("still allows unprotected environments", async () => {
    const row = await withContext(org.owner, (tx) =>
      setValue(tx, org.owner, {
        variableId,
        environmentId: org.env.staging,
        value: "re_staging",
        expectedVersion: 0,
      }),
    );
    expect(applied(row).version).toBe(1);
  });

  it("refuses lifting the protection during the window", async () => {
    await expectDbError(
      withContext(org.owner, (tx) =>
        tx
          .update(environments)
          .set({ weddingDayProtection: false })
          .where(eq(environments.id, org.env.production)),
      ),
      /locked:wedding_hours/,
    );
  });

  it("accepts a write inside a valid emergency session, flagged in the audit; refuses an expired one", async () => {
    const colleague = await org.member("admin");
    const [session] = await withContext(org.owner, (tx) =>
      tx
        .insert(emergencySessions)
        .values({
          organizationId: org.id,
          userId: org.owner.userId,
          environmentId: org.env.production,
          reason: "Resend key revoked by provider mid-wedding",
          expiresAt: sql`now() + interval '30 minutes'`,
        })
        .returning({ id: emergencySessions.id }),
    );
    // Someone else's emergency session does not help.
    const borrowed = { ...colleague, emergencySessionId: session.id };
    await expect(
      withContext(borrowed, (tx) =>
        setValue(tx, borrowed, {
          variableId,
          environmentId: org.env.production,
          value: "re_x",
          expectedVersion: 1,
        }),
      ),
    ).rejects.toSatisfy((e) => e instanceof AppError && e.code === "locked:wedding_hours");

    const ctx = { ...org.owner, emergencySessionId: session.id };
    const row = await withContext(ctx, (tx) =>
      setValue(tx, ctx, {
        variableId,
        environmentId: org.env.production,
        value: "re_emergency",
        expectedVersion: 1,
      }),
    );
    expect(applied(row).version).toBe(2);
    const [audit] = await withContext(org.owner, (tx) =>
      tx
        .select({ emergency: environmentVariableAudit.emergency, action: environmentVariableAudit.action })
        .from(environmentVariableAudit)
        .where(eq(environmentVariableAudit.newValueHash, applied(row).valueHash ?? "")),
    );
    expect(audit).toEqual({ emergency: true, action: "update" });

    await withContext(org.owner, (tx) =>
      tx.update(emergencySessions).set({ endedAt: sql`now()` }).where(eq(emergencySessions.id, session.id)),
    );
    await expect(
      withContext(ctx, (tx) =>
        setValue(tx, ctx, {
          variableId,
          environmentId: org.env.production,
          value: "re_late",
          expectedVersion: 2,
        }),
      ),
    ).rejects.toSatisfy((e) => e instanceof AppError && e.code === "locked:wedding_hours");
  });
});
