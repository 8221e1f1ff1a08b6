import { beforeAll, describe, expect, it } from "vitest";
import { type TenantContext, withContext } from "@/db/context";
import { endEmergencySession, openEmergencySession } from "@/server/emergency/emergency";
import { openEmergencyReviews } from "@/server/emergency/emergency-reads";
import { setValue } from "@/server/values/values";
import { withSession } from "./session-fixture";
import { makeOrg, productionSecret, startWeddingHours, type TestOrg } from "./support";

let org: TestOrg;
let variableId: string;
let onCall: TenantContext;
let otherOnCall: TenantContext;
let developer: TenantContext;
let reviewer: TenantContext;

/** Opens break-glass on production as the app does: later requests carry the live session's id. */
const breakGlass = async (ctx: TenantContext, reason: string) => {
  const session = await withContext(ctx, (tx) =>
    openEmergencySession(tx, ctx, { environmentId: org.env.production, reason, minutes: 30 }),
  );
  return { ...ctx, emergencySessionId: session.id };
};
const end = (ctx: TenantContext) => withContext(ctx, (tx) => endEmergencySession(tx, ctx));

beforeAll(async () => {
  org = await makeOrg();
  variableId = await productionSecret(org, {
    name: "RESEND_API_KEY",
    classification: "confidential",
    value: "re_live_old",
    note: "Resend key from the dashboard",
  });
  onCall = await withSession(await org.member("on_call"));
  otherOnCall = await withSession(await org.member("on_call"));
  developer = await org.member("developer");
  reviewer = await org.member("security_reviewer");
  await startWeddingHours(org);
});

describe("emergency review items", () => {
  it("ending a session that changed nothing adds one clear 'ended without changes' item, not an empty change", async () => {
    const session = await breakGlass(onCall, "Checking the Resend key during the flagship wedding");
    await end(session);
    const items = await openEmergencyReviews(reviewer);
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({
      kind: "session_ended",
      summary: "Emergency access to production ended without changes",
      reason: "Checking the Resend key during the flagship wedding",
      previousValueHash: null,
      newValueHash: null,
    });
  });

  it("a session with changes adds only the changes, and replacing a session adds nothing empty", async () => {
    const first = await breakGlass(otherOnCall, "Resend key revoked; emails failing at the wedding");
    await withContext(first, (tx) =>
      setValue(tx, first, {
        variableId,
        environmentId: org.env.production,
        value: "re_live_new",
        expectedVersion: 1,
      }),
    );
    // Opening another session while one is live replaces it: no item for the bookkeeping.
    const second = await breakGlass(first, "Second window for the same incident, to verify");
    await withContext(second, (tx) =>
      setValue(tx, second, {
        variableId,
        environmentId: org.env.production,
        value: "re_live_3",
        expectedVersion: 2,
      }),
    );
    await end(second);
    const mine = (await openEmergencyReviews(reviewer)).filter((i) => i.actorId === otherOnCall.userId);
    expect(mine.map((i) => [i.kind, i.action, i.variable])).toEqual([
      ["change", "update", "RESEND_API_KEY"],
      ["change", "update", "RESEND_API_KEY"],
    ]);
    expect(mine.every((i) => i.previousValueHash && i.newValueHash)).toBe(true);
  });

  it("on-call sees the items waiting for review (read-only); a developer only their own (none)", async () => {
    const forReviewer = await openEmergencyReviews(reviewer);
    expect(forReviewer).toHaveLength(3);
    expect(await openEmergencyReviews(onCall)).toEqual(forReviewer);
    expect(await openEmergencyReviews(developer)).toEqual([]);
    const stranger = await makeOrg();
    expect(await openEmergencyReviews({ ...stranger.owner })).toEqual([]);
  });
});
