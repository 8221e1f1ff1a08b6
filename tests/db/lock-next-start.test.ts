import { beforeAll, describe, expect, it } from "vitest";
import { withContext } from "@/db/context";
import { nextLockStart } from "@/db/repos/protection";
import { protectionBlackouts, protectionWindows } from "@/db/schema";
import { makeOrg, rawSql, type TestOrg } from "./support";

/** When the next wedding-hours lock starts (the page schedules a refresh for it, as for the lock's end). */
describe("nextLockStart (weekly windows in the organization's zone, and blackouts)", () => {
  let org: TestOrg;
  beforeAll(async () => {
    org = await makeOrg();
    const s = rawSql("super");
    await s`update organizations set time_zone = 'Europe/London' where id = ${org.id}`;
    await s.end();
    await withContext(org.owner, async (tx) => {
      await tx
        .insert(protectionWindows)
        .values({ organizationId: org.id, startDay: 5, startTime: "18:00", endDay: 7, endTime: "24:00:00" });
      await tx.insert(protectionBlackouts).values({
        organizationId: org.id,
        startsAt: new Date("2026-12-02T09:00:00Z"),
        endsAt: new Date("2026-12-02T21:00:00Z"),
        reason: "Flagship wedding",
      });
    });
  });

  const next = (at: string) =>
    withContext(org.owner, (tx) => nextLockStart(tx, org.id, new Date(at))).then((d) => d?.toISOString());

  // 2026-11-27 is a Friday; London is on UTC in November and on UTC+1 in July.
  it.each([
    ["Wednesday → Friday 18:00", "2026-11-25T12:00:00Z", "2026-11-27T18:00:00.000Z"],
    ["inside the window → the next start (a blackout)", "2026-11-28T12:00:00Z", "2026-12-02T09:00:00.000Z"],
    ["a blackout first", "2026-11-30T12:00:00Z", "2026-12-02T09:00:00.000Z"],
    ["after the blackout → Friday", "2026-12-02T10:00:00Z", "2026-12-04T18:00:00.000Z"],
    ["summer time", "2026-07-01T12:00:00Z", "2026-07-03T17:00:00.000Z"],
  ])("%s", async (_, at, expected) => {
    expect(await next(at)).toBe(expected);
  });
});
