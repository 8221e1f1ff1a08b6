/**
 * The Saturday pre-check (issue 17), on a simulated Friday: wedding hours open in 20 hours. The scheduled job
 * records one run per window — unresolved drift, a failed sync, a missing required variable, a credential due on
 * "Saturday", the data key due, an unhealthy integration, a pending change request, no verified backup — and
 * sends one `precheck.completed` event (counts, never a value); a member runs it again on demand once the drift
 * is resolved and a drill has verified a backup. Who may run it, who may read it, and what the database
 * refuses to anyone who goes around the app.
 */
import { and, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withContext } from "@/db/context";
import { grantOperator } from "@/db/operators";
import { setHealth } from "@/db/repos/integration-events";
import { protectionBlackouts, webhookEvents, weddingPrechecks } from "@/db/schema";
import { AppError } from "@/lib/errors";
import { integrationCreation } from "@/lib/validation/integrations";
import { webhookEndpointInput } from "@/lib/validation/webhooks";
import { createIntegration } from "@/server/integrations/integrations";
import {
  precheckBoard,
  precheckSummary,
  runPrecheckNow,
  scheduledPrechecks,
} from "@/server/precheck/precheck";
import { setValue } from "@/server/values/values";
import { createVariable } from "@/server/variables/variables";
import { createEndpoint } from "@/server/webhooks/endpoints";
import { db, dbMessage, makeOrg, rawSql, type TestOrg } from "./support";
import { isCode, valueFixture } from "./value-fixture";

type Fixture = Awaited<ReturnType<typeof valueFixture>>;
let f: Fixture;
let other: TestOrg;
const su = rawSql("super");
const SECRET = "sk_live_51Hprecheckvalue000";

/**
 * Behind the app's back (superuser, triggers off): rows the app would make only through approvals, kept
 * consistent (every foreign key holds), since a later file backs this database up and restores it.
 */
const planted = (fn: (t: typeof su) => Promise<unknown>) =>
  su.begin(async (t) => {
    await t`set local session_replication_role = replica`;
    await fn(t as unknown as typeof su);
  });

const runs = () =>
  withContext(f.org.owner, (tx) =>
    tx.select().from(weddingPrechecks).where(eq(weddingPrechecks.organizationId, f.org.id)),
  );
const events = () =>
  withContext(f.org.owner, (tx) =>
    tx
      .select({ data: webhookEvents.data })
      .from(webhookEvents)
      .where(
        and(eq(webhookEvents.organizationId, f.org.id), eq(webhookEvents.eventType, "precheck.completed")),
      ),
  );
const lines = async () => {
  const view = await withContext(f.org.owner, (tx) => precheckSummary(tx, f.org.owner));
  return Object.fromEntries((view?.run?.checklist ?? []).map((i) => [i.key, i]));
};

beforeAll(async () => {
  f = await valueFixture();
  other = await makeOrg();
  await f.set("STRIPE_SECRET_KEY", "production", SECRET);
  // A required variable with no production value.
  await withContext(f.org.owner, (tx) =>
    createVariable(tx, f.org.owner, {
      name: "RESEND_API_KEY",
      variableType: "api_key",
      securityClassification: "confidential",
      isRequired: true,
      isWeddingCritical: true,
      tags: [],
    }),
  );
  // A production change waiting for a reviewer.
  const pending = await withContext(f.org.owner, (tx) =>
    setValue(tx, f.org.owner, {
      variableId: f.ids.FEATURE_CHECKOUT,
      environmentId: f.org.env.production,
      value: "true",
      expectedVersion: 0,
      note: "Turn checkout on for Saturday",
    }),
  );
  expect(pending).toMatchObject({ status: "requested" });
  const integration = await withContext(f.org.owner, async (tx) =>
    createIntegration(
      tx,
      f.org.owner,
      await integrationCreation.parseAsync({
        isActive: "on",
        platform: "stripe",
        configType: "api_key",
        environment: "production",
        name: "Payments",
      }),
    ),
  );
  await withContext(f.org.owner, (tx) => setHealth(tx, integration.id, "unhealthy", "HTTP 401"));
  await withContext(f.org.owner, (tx) =>
    createEndpoint(
      tx,
      f.org.owner,
      webhookEndpointInput.parse({
        url: "https://hooks.example.com/precheck",
        events: ["precheck.completed"],
      }),
    ),
  );
  await planted(async (t) => {
    // The credential was last changed 29 days ago on a 30-day interval: due in a day, inside the window.
    await t`update environment_variables set rotation_interval_days = 30 where id = ${f.ids.STRIPE_SECRET_KEY}`;
    await t`update environment_variable_values set last_rotated_at = now() - interval '29 days'
             where variable_id = ${f.ids.STRIPE_SECRET_KEY} and environment_id = ${f.org.env.production}`;
    await t`insert into configuration_drift (organization_id, environment_id, drift_type, variable_name, drift_key,
              drift_severity) values (${f.org.id}, ${f.org.env.production}, 'value_mismatch', 'STRIPE_SECRET_KEY',
              'precheck-test', 'critical')`;
    const [target] = await t<
      { id: string }[]
    >`insert into sync_targets (organization_id, environment_id, name,
              kind, location, secret_sealed, encryption_key_id, scan_interval_minutes, created_by)
              select ${f.org.id}, ${f.org.env.production}, 'web', 'http', 'https://x.example', 'x', k.key_id, 15,
                     ${f.org.owner.userId}
                from encryption_keys k where k.organization_id = ${f.org.id} and k.key_type = 'data' limit 1
              returning id`;
    await t`insert into deployment_syncs (organization_id, environment_id, target_id, sync_type, sync_status,
              started_by, completed_at) values (${f.org.id}, ${f.org.env.production}, ${target.id}, 'manual', 'failed',
              ${f.org.owner.userId}, now())`;
    // The data key is a year old on a 90-day interval.
    await t`insert into key_settings (organization_id, data_key_rotation_days) values (${f.org.id}, 90)
             on conflict (organization_id) do update set data_key_rotation_days = 90`;
    await t`update encryption_keys set created_at = now() - interval '365 days'
             where organization_id = ${f.org.id} and key_type = 'data'`;
  });
});

afterAll(async () => {
  await su.end();
});

describe("the Saturday pre-check", () => {
  it("does nothing, and the dashboard shows nothing, with no wedding hours within a day", async () => {
    await scheduledPrechecks(db());
    expect(await runs()).toHaveLength(0);
    expect(await withContext(f.org.owner, (tx) => precheckSummary(tx, f.org.owner))).toBeNull();
    await expect(withContext(f.org.owner, (tx) => runPrecheckNow(tx, f.org.owner))).rejects.toSatisfy(
      isCode("conflict:no_window"),
    );
  });

  it("runs once on the Friday before wedding hours and lists each thing to look at", async () => {
    await withContext(f.org.owner, (tx) =>
      tx.insert(protectionBlackouts).values({
        organizationId: f.org.id,
        startsAt: sql`now() + interval '20 hours'`,
        endsAt: sql`now() + interval '30 hours'`,
        reason: "Saturday wedding",
      }),
    );
    await scheduledPrechecks(db());
    await scheduledPrechecks(db());
    const [run, ...more] = await runs();
    expect(more).toHaveLength(0);
    expect(run).toMatchObject({ runTrigger: "scheduled", attention: 8, requestedBy: null });
    const l = await lines();
    expect(l.drift).toMatchObject({ ok: false, details: ["production: 1 finding (1 critical)"] });
    expect(l.syncs).toMatchObject({ ok: false, details: ["production: 1 target whose last sync failed"] });
    expect(l.missing).toMatchObject({ ok: false, details: ["production: 1 variable"] });
    expect(l.credentials).toMatchObject({ ok: false, details: ["production: 1 credential"] });
    expect(l.data_key.ok).toBe(false);
    expect(l.integrations).toMatchObject({ ok: false, details: ["production: 1 integration"] });
    expect(l.change_requests).toMatchObject({ ok: false, details: ["production: 1 request"] });
    expect(l.backup).toMatchObject({ ok: false, at: null });
    // Staging is not protected: nothing of it is listed.
    expect(JSON.stringify(run.report)).not.toContain('"staging"');
    const sent = await events();
    expect(sent).toHaveLength(1);
    expect(sent[0].data).toMatchObject({ trigger: "scheduled", attention: 8 });
    expect(JSON.stringify(sent[0].data)).not.toContain(SECRET);
  });

  it("runs again on demand for on-call once things are fixed, at most once a minute", async () => {
    await planted(async (t) => {
      await t`update configuration_drift set resolved_at = now() where organization_id = ${f.org.id}`;
      await t`insert into ops_restore_drills (ok, folder, backup_created_at, tables, rows)
               values (true, 'ringbearer-precheck', now() - interval '1 day', 40, 1000)`;
    });
    const onCall = await f.org.member("on_call");
    const first = await withContext(onCall, (tx) => runPrecheckNow(tx, onCall));
    const again = await withContext(onCall, (tx) => runPrecheckNow(tx, onCall));
    expect(again.id).toBe(first.id);
    expect(await runs()).toHaveLength(2);
    const l = await lines();
    expect(l.drift.ok).toBe(true);
    expect(l.backup.ok).toBe(true);
    expect(l.credentials.ok).toBe(false);
    const view = await withContext(onCall, (tx) => precheckSummary(tx, onCall));
    expect(view?.run).toMatchObject({ trigger: "on_demand", attention: 6 });
    expect(await events()).toHaveLength(2);
  });

  it("is refused to a viewer, by the app and by the database", async () => {
    const viewer = await f.org.member("viewer");
    await expect(withContext(viewer, (tx) => runPrecheckNow(tx, viewer))).rejects.toSatisfy(
      (e) => e instanceof AppError && e.code === "forbidden",
    );
    const direct = await withContext(viewer, (tx) =>
      tx.execute(sql`select record_wedding_precheck(null, 'on_demand', now() + interval '20 hours',
                                                    now() + interval '30 hours')`),
    ).catch((e) => e);
    expect(dbMessage(direct)).toMatch(/may not run the pre-check/);
    // A viewer reads the checklist all the same.
    expect((await withContext(viewer, (tx) => precheckSummary(tx, viewer)))?.run?.attention).toBe(6);
  });

  it("records scheduled and operators' runs for the job runner only, and only for a coming window", async () => {
    const forged = await withContext(f.org.owner, (tx) =>
      tx.execute(sql`select record_wedding_precheck('not the proof', 'scheduled', now() + interval '2 days',
                                                    now() + interval '3 days')`),
    ).catch((e) => e);
    expect(dbMessage(forged)).toMatch(/only the job runner/);
    const past = await withContext(f.org.owner, (tx) =>
      tx.execute(sql`select record_wedding_precheck(null, 'on_demand', now() - interval '3 days',
                                                    now() - interval '2 days')`),
    ).catch((e) => e);
    expect(dbMessage(past)).toMatch(/not a coming window/);
    await expect(
      withContext(f.org.owner, (tx) =>
        tx.execute(sql`insert into wedding_prechecks (organization_id, window_starts_at, window_ends_at,
                         run_trigger, attention, report) values (${f.org.id}, now(), now(), 'on_demand', 0, '{}')`),
      ),
    ).rejects.toThrow();
  });

  it("is the organization's own: another organization reads none of it; operators read every one", async () => {
    const seen = await withContext(other.owner, (tx) =>
      tx.select().from(weddingPrechecks).where(eq(weddingPrechecks.organizationId, f.org.id)),
    );
    expect(seen).toHaveLength(0);
    const op = await other.member("developer");
    await expect(precheckBoard({ userId: op.userId })).rejects.toSatisfy(isCode("forbidden"));
    const owner = rawSql("owner");
    try {
      expect(await grantOperator(owner, op.email)).toBe("granted");
    } finally {
      await owner.end();
    }
    const board = await precheckBoard({ userId: op.userId });
    const mine = board.find((r) => r.organizationId === f.org.id);
    expect(mine).toMatchObject({ trigger: "on_demand", attention: 6 });
    expect(mine?.report.organization?.slug).toBe(f.org.slug);
  });

  it("forgets a run once its wedding hours are moved or removed", async () => {
    await withContext(f.org.owner, (tx) =>
      tx.delete(protectionBlackouts).where(eq(protectionBlackouts.organizationId, f.org.id)),
    );
    expect(await withContext(f.org.owner, (tx) => precheckSummary(tx, f.org.owner))).toBeNull();
    await withContext(f.org.owner, (tx) =>
      tx.insert(protectionBlackouts).values({
        organizationId: f.org.id,
        startsAt: sql`now() + interval '21 hours'`,
        endsAt: sql`now() + interval '31 hours'`,
        reason: "Moved wedding",
      }),
    );
    const view = await withContext(f.org.owner, (tx) => precheckSummary(tx, f.org.owner));
    expect(view).toMatchObject({ run: null, canRun: true });
    expect(view?.window?.startsAt.getTime()).toBeGreaterThan(Date.now() + 20 * 3_600_000);
  });
});
