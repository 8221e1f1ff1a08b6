/**
 * The webhook log's retention (migration 0033, the purge job): an organization's events past the retention go with
 * their deliveries and attempts once every delivery is final; one still retrying, a recent one and another
 * organization's stay. Only an owner's or admin's job context may purge, and never keep less than a day.
 */
import { describe, expect, it } from "vitest";
import { withContext } from "@/db/context";
import { purgeWebhookLog } from "@/db/repos/webhooks";
import { webhookEndpointInput } from "@/lib/validation/webhooks";
import { parseEnv } from "@/server/env";
import { purgeAllOrganizations, webhookRetentionDays } from "@/server/variables/purge";
import { createEndpoint, queueTestEvent } from "@/server/webhooks/endpoints";
import { db, dbMessage, makeOrg, rawSql, type TestOrg } from "./support";

/** A test event with its delivery (status as given), `daysAgo` old, and one attempt in the log. */
async function loggedEvent(
  org: TestOrg,
  endpointId: string,
  status: "delivered" | "failed" | "pending",
  daysAgo: number,
) {
  const { id: deliveryId } = await withContext(org.owner, (tx) => queueTestEvent(tx, org.owner, endpointId));
  const s = rawSql("super");
  try {
    const [d] = await s<{ event_id: string }[]>`
      update webhook_deliveries set status = ${status} where id = ${deliveryId} returning event_id`;
    await s`update webhook_events set created_at = now() - make_interval(days => ${daysAgo}) where id = ${d.event_id}`;
    await s`insert into webhook_attempts (organization_id, delivery_id, attempt, status_code, latency_ms, ok)
            values (${org.id}, ${deliveryId}, 1, 500, 12, false)`;
    return d.event_id;
  } finally {
    await s.end();
  }
}

async function remaining(eventIds: string[]) {
  const s = rawSql("super");
  try {
    const rows = await s<{ id: string; deliveries: number; attempts: number }[]>`
      select e.id, (select count(*)::int from webhook_deliveries d where d.event_id = e.id) as deliveries,
             (select count(*)::int from webhook_attempts a join webhook_deliveries d on d.id = a.delivery_id
               where d.event_id = e.id) as attempts
        from webhook_events e where e.id = any(${eventIds}::uuid[])`;
    return new Map(rows.map((r) => [r.id, r]));
  } finally {
    await s.end();
  }
}

async function endpointOf(org: TestOrg) {
  const made = await withContext(org.owner, (tx) =>
    createEndpoint(
      tx,
      org.owner,
      webhookEndpointInput.parse({ url: "http://127.0.0.1:9/hook", events: ["value.changed"] }),
    ),
  );
  return made.id;
}

describe("the webhook log's retention", () => {
  it("purges final deliveries past the retention with their attempts, and keeps the rest", async () => {
    const [a, b] = await Promise.all([makeOrg(), makeOrg()]);
    const [aEndpoint, bEndpoint] = await Promise.all([endpointOf(a), endpointOf(b)]);
    const oldDelivered = await loggedEvent(a, aEndpoint, "delivered", 40);
    const oldFailed = await loggedEvent(a, aEndpoint, "failed", 31);
    const oldPending = await loggedEvent(a, aEndpoint, "pending", 40);
    const recent = await loggedEvent(a, aEndpoint, "delivered", 29);
    const otherOrg = await loggedEvent(b, bEndpoint, "delivered", 40);

    expect(await withContext(a.owner, (tx) => purgeWebhookLog(tx, 30))).toBe(2);
    const left = await remaining([oldDelivered, oldFailed, oldPending, recent, otherOrg]);
    expect([...left.keys()].sort()).toEqual([oldPending, recent, otherOrg].sort());
    expect(left.get(oldPending)).toEqual({ id: oldPending, deliveries: 1, attempts: 1 });
    const s = rawSql("super");
    try {
      const [{ n }] = await s<{ n: number }[]>`
        select count(*)::int as n from webhook_attempts a join webhook_deliveries d on d.id = a.delivery_id
         where d.event_id = any(${[oldDelivered, oldFailed]}::uuid[])`;
      expect(n).toBe(0);
    } finally {
      await s.end();
    }

    // The job does every organization, B's too.
    const result = await purgeAllOrganizations(db(), 30);
    expect(result.webhookEvents).toBeGreaterThanOrEqual(1);
    expect((await remaining([otherOrg])).size).toBe(0);
  });

  it("is refused to a developer's context and for less than a day; the retention is configurable", async () => {
    const org = await makeOrg();
    const developer = await org.member("developer");
    const refused = await withContext(developer, (tx) => purgeWebhookLog(tx, 30)).catch((e: unknown) => e);
    expect(dbMessage(refused)).toMatch(/owner or admin context/);
    const zero = await withContext(org.owner, (tx) => purgeWebhookLog(tx, 0)).catch((e: unknown) => e);
    expect(dbMessage(zero)).toMatch(/at least one day/);
    expect(webhookRetentionDays({})).toBe(30);
    expect(webhookRetentionDays({ RINGBEARER_WEBHOOK_RETENTION_DAYS: "7" })).toBe(7);
    expect(() => parseEnv({ ...process.env, RINGBEARER_WEBHOOK_RETENTION_DAYS: "0" })).toThrow(
      /RINGBEARER_WEBHOOK_RETENTION_DAYS must be a whole number of days/,
    );
  });
});
