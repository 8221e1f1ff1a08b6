import { eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { withContext } from "@/db/context";
import { organizations, protectionBlackouts, protectionWindows } from "@/db/schema";
import { AppError } from "@/lib/errors";
import { blackoutInput } from "@/lib/validation/settings";
import { addBlackout, removeProtection, setTimeZone } from "@/server/organizations/settings";
import { approveAs, dayAfterNext, expectDbError, makeOrg, rawSql, type TestOrg } from "./support";

/**
 * Review finding 3: changing the organization's time zone moved the weekly windows away from "now" and lifted
 * an active wedding-hours lock (in the UI and in the database). A time zone change is refused while a window
 * is in force and is a four-eyes change otherwise; a window or blackout in force cannot be changed or removed,
 * and the refusal says until when. Finding 17: a blackout cannot lock production for years.
 */
const isCode = (code: string) => (e: unknown) => e instanceof AppError && e.code === code;

/** A weekly window covering now in UTC (one hour either side), in an organization on UTC. */
async function windowNow(org: TestOrg) {
  const s = rawSql("super");
  try {
    const [w] = await s<{ id: string }[]>`
      insert into protection_windows (organization_id, start_day, start_time, end_day, end_time)
      select ${org.id}, extract(isodow from now() - interval '1 hour')::int, (now() - interval '1 hour')::time,
             extract(isodow from now() + interval '1 hour')::int, (now() + interval '1 hour')::time
      returning id`;
    return w.id;
  } finally {
    await s.end();
  }
}

const locked = async (org: TestOrg) =>
  (
    await withContext(org.owner, (tx) =>
      tx.execute<{ locked: boolean }>(sql`select is_wedding_hours(${org.id}::uuid, now()) as locked`),
    )
  )[0].locked;

describe("finding 3: the time zone cannot lift wedding hours", () => {
  it("is refused while a window is in force (action and database), with until when", async () => {
    const org = await makeOrg();
    await windowNow(org);
    expect(await locked(org)).toBe(true);
    const attempt = withContext(org.owner, (tx) =>
      setTimeZone(tx, org.owner, { timeZone: "Pacific/Kiritimati", reason: "Moving the company" }),
    );
    await expect(attempt).rejects.toSatisfy(
      (e) => isCode("locked:wedding_hours")(e) && /until/.test(JSON.stringify((e as AppError).fieldErrors)),
    );
    await expectDbError(
      withContext(org.owner, (tx) =>
        tx.execute(sql`update organizations set time_zone = 'Pacific/Kiritimati' where id = ${org.id}`),
      ),
      /locked:wedding_hours/,
    );
    expect(await locked(org)).toBe(true);
  });

  it("outside wedding hours it waits for a reviewer, and the database refuses it unapproved", async () => {
    const org = await makeOrg();
    const change = await withContext(org.owner, (tx) =>
      setTimeZone(tx, org.owner, { timeZone: "Europe/London", reason: "We are based in London" }),
    );
    expect(change).toMatchObject({ status: "requested", riskLevel: "HIGH" });
    await expectDbError(
      withContext(org.owner, (tx) =>
        tx.execute(sql`update organizations set time_zone = 'Asia/Tokyo' where id = ${org.id}`),
      ),
      /approval_required/,
    );
    await approveAs(org, change);
    const [row] = await withContext(org.owner, (tx) =>
      tx.select({ tz: organizations.timeZone }).from(organizations).where(eq(organizations.id, org.id)),
    );
    expect(row.tz).toBe("Europe/London");
  });
});

describe("finding 3: a window or blackout in force is fixed until it ends", () => {
  it("removing the window in force is refused with until when; another window can still be removed", async () => {
    const org = await makeOrg();
    const inForce = await windowNow(org);
    const [later] = await withContext(org.owner, (tx) =>
      tx
        .insert(protectionWindows)
        .values({
          organizationId: org.id,
          startDay: dayAfterNext(),
          startTime: "03:00",
          endDay: dayAfterNext(),
          endTime: "03:01",
        })
        .returning({ id: protectionWindows.id }),
    );
    await expect(
      withContext(org.owner, (tx) =>
        removeProtection(tx, org.owner, { kind: "window", id: inForce }, { reason: "Wedding is cancelled" }),
      ),
    ).rejects.toSatisfy(
      (e) => isCode("locked:wedding_hours")(e) && /until/.test(JSON.stringify((e as AppError).fieldErrors)),
    );
    const other = await withContext(org.owner, (tx) =>
      removeProtection(tx, org.owner, { kind: "window", id: later.id }, { reason: "Not needed any more" }),
    );
    expect(other).toMatchObject({ status: "requested" });
  });

  it("a blackout in force cannot be edited or removed in the database", async () => {
    const org = await makeOrg();
    const [b] = await withContext(org.owner, (tx) =>
      tx
        .insert(protectionBlackouts)
        .values({
          organizationId: org.id,
          startsAt: sql`now() - interval '1 minute'`,
          endsAt: sql`now() + interval '1 hour'`,
          reason: "Flagship wedding",
        })
        .returning({ id: protectionBlackouts.id }),
    );
    await expectDbError(
      withContext(org.owner, (tx) =>
        tx.execute(sql`update protection_blackouts set ends_at = now() where id = ${b.id}`),
      ),
      /locked:wedding_hours.*until/,
    );
    await expectDbError(
      withContext(org.owner, (tx) => tx.execute(sql`delete from protection_blackouts where id = ${b.id}`)),
      /locked:wedding_hours.*until/,
    );
  });
});

describe("finding 17: a blackout cannot lock production for years", () => {
  it("is at most 14 days long and starts within a year (form and database)", async () => {
    const long = blackoutInput.safeParse({
      startsAt: "2027-06-01T09:00",
      endsAt: "9999-12-31T23:00",
      reason: "Forever",
    });
    expect(long.success).toBe(false);
    const far = blackoutInput.safeParse({
      startsAt: "2040-06-01T09:00",
      endsAt: "2040-06-02T09:00",
      reason: "Far away",
    });
    expect(far.success).toBe(false);
    const org = await makeOrg();
    await expectDbError(
      withContext(org.owner, (tx) =>
        tx.execute(sql`insert into protection_blackouts (organization_id, starts_at, ends_at, reason)
          values (${org.id}, now() + interval '1 day', '9999-12-31', 'Forever')`),
      ),
      /protection_blackouts_length_check/,
    );
    await expect(
      withContext(org.owner, (tx) =>
        addBlackout(tx, org.owner, {
          startsAt: "2027-06-01T09:00",
          endsAt: "2027-06-02T09:00",
          reason: "Flagship wedding",
        }),
      ),
    ).resolves.toBeTruthy();
  });

  it("a weekly window is at most 4 days long (it could otherwise never be removed)", async () => {
    const org = await makeOrg();
    await expectDbError(
      withContext(org.owner, (tx) =>
        tx.insert(protectionWindows).values({
          organizationId: org.id,
          startDay: 1,
          startTime: "00:00",
          endDay: 7,
          endTime: "24:00:00",
        }),
      ),
      /protection_windows_length_check/,
    );
  });
});
