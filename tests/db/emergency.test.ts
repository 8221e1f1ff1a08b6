import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import type { TenantContext } from "@/db/context";
import { withContext } from "@/db/context";
import { liveEmergencySession } from "@/db/repos/emergency";
import { environmentVariableAudit } from "@/db/schema";
import { AppError } from "@/lib/errors";
import { markVerified } from "@/server/auth/factors";
import {
  acknowledgeEmergencyReview,
  endEmergencySession,
  openEmergencySession,
} from "@/server/emergency/emergency";
import { openEmergencyReviews } from "@/server/emergency/emergency-reads";
import { setValue } from "@/server/values/values";
import { ageVerification, withSession } from "./session-fixture";
import { makeOrg, productionSecret, startWeddingHours, type TestOrg } from "./support";

const isCode = (code: string) => (e: unknown) => e instanceof AppError && e.code === code;

let org: TestOrg;
let variableId: string;
let onCall: TenantContext;

beforeAll(async () => {
  org = await makeOrg();
  variableId = await productionSecret(org, {
    name: "STRIPE_WEBHOOK_SECRET",
    classification: "wedding_day_critical",
    value: "whsec_old",
    note: "Webhook secret from the Stripe dashboard",
  });
  // Break-glass needs a session that proved who it is in the last five minutes (step-up).
  onCall = await withSession(await org.member("on_call"));
});

const open = (ctx: TenantContext, reason = "Stripe rotated the webhook secret; checkout failing") =>
  withContext(ctx, (tx) =>
    openEmergencySession(tx, ctx, { environmentId: org.env.production, reason, minutes: 30 }),
  );
const write = (ctx: TenantContext, value: string, expectedVersion: number) =>
  withContext(ctx, (tx) =>
    setValue(tx, ctx, { variableId, environmentId: org.env.production, value, expectedVersion }),
  );

describe("break-glass", () => {
  it("is not needed, and refused, outside wedding hours", async () => {
    await expect(open(onCall)).rejects.toSatisfy(isCode("validation"));
  });

  it("opens for on-call during wedding hours, not for a developer, and needs a real reason", async () => {
    await startWeddingHours(org);
    const dev = await org.member("developer");
    await expect(open(dev)).rejects.toSatisfy(isCode("forbidden"));
    await expect(open(onCall, "because")).rejects.toSatisfy(isCode("validation"));
    await expect(write(onCall, "whsec_new", 1)).rejects.toSatisfy(isCode("locked:wedding_hours"));
    await ageVerification(onCall.sessionId as string, 6);
    await expect(open(onCall)).rejects.toSatisfy(isCode("reauth_required"));
    await expect(open({ ...onCall, sessionId: undefined })).rejects.toSatisfy(isCode("reauth_required"));
    await withContext(onCall, (tx) => markVerified(tx, onCall, false));
    const session = await open(onCall);
    expect(session.environment).toBe("production");
    const live = await withContext(onCall, (tx) => liveEmergencySession(tx, onCall));
    expect(live?.id).toBe(session.id);
  });

  it("lets the on-call user change production at once, flagged and queued for review", async () => {
    const live = await withContext(onCall, (tx) => liveEmergencySession(tx, onCall));
    const ctx = { ...onCall, emergencySessionId: live?.id };
    // on-call only reads production by role; the live emergency session is what lets them write now.
    await write(ctx, "whsec_new", 1);
    const [audit] = await withContext(org.owner, (tx) =>
      tx
        .select({ emergency: environmentVariableAudit.emergency })
        .from(environmentVariableAudit)
        .where(eq(environmentVariableAudit.variableId, variableId))
        .orderBy(environmentVariableAudit.seq),
    ).then((rows) => rows.slice(-1));
    expect(audit.emergency).toBe(true);
    const reviews = await openEmergencyReviews(org.owner);
    expect(reviews).toHaveLength(1);
    expect(reviews[0]).toMatchObject({
      variable: "STRIPE_WEBHOOK_SECRET",
      environment: "production",
      action: "update",
    });
    expect(reviews[0].reason).toContain("webhook");

    // Four eyes: not a viewer, not the on-call user, and an admin who made it could not either; a reviewer, once.
    const admin = await org.member("admin");
    await expect(
      withContext(ctx, (tx) => acknowledgeEmergencyReview(tx, ctx, { id: reviews[0].id })),
    ).rejects.toSatisfy(isCode("forbidden"));
    const viewer = await org.member("viewer");
    await expect(
      withContext(viewer, (tx) => acknowledgeEmergencyReview(tx, viewer, { id: reviews[0].id })),
    ).rejects.toSatisfy(isCode("forbidden"));
    const reviewer = await org.member("security_reviewer");
    await withContext(reviewer, (tx) =>
      acknowledgeEmergencyReview(tx, reviewer, { id: reviews[0].id, note: "checked with Stripe" }),
    );
    await expect(
      withContext(reviewer, (tx) => acknowledgeEmergencyReview(tx, reviewer, { id: reviews[0].id })),
    ).rejects.toSatisfy(isCode("conflict:version"));
    expect(await openEmergencyReviews(org.owner)).toHaveLength(0);

    // Ending the session restores the lock at once; another user's session never helps.
    await expect(write({ ...admin, emergencySessionId: live?.id }, "whsec_x", 2)).rejects.toSatisfy(
      isCode("locked:wedding_hours"),
    );
    await withContext(onCall, (tx) => endEmergencySession(tx, onCall));
    await expect(write(ctx, "whsec_third", 2)).rejects.toSatisfy(isCode("locked:wedding_hours"));
    await expect(write(org.owner, "whsec_third", 2)).rejects.toSatisfy(isCode("locked:wedding_hours"));
  });
});
