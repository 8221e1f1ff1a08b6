/**
 * Credential rotation reminders beyond the page (issue 16): the weekly digest webhook event naming what is due
 * now or within 7 days (names and dates, never a value), and the dashboard's list of credentials that fall due
 * before the coming wedding hours end.
 */
import { and, eq, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { withContext } from "@/db/context";
import { rotationPrecheck } from "@/db/repos/rotation-precheck";
import { environmentVariables, protectionBlackouts, webhookEvents } from "@/db/schema";
import { webhookEndpointInput } from "@/lib/validation/webhooks";
import { rotationDigestJob } from "@/server/keys/rotation-digest";
import { createEndpoint } from "@/server/webhooks/endpoints";
import { rawSql } from "./support";
import { valueFixture } from "./value-fixture";

type Fixture = Awaited<ReturnType<typeof valueFixture>>;
let f: Fixture;

/** Behind the app's back (superuser, triggers off): an interval on a variable and a value's last change. */
async function schedule(
  name: string,
  intervalDays: number,
  env: "staging" | "production",
  changedDaysAgo: number,
) {
  const su = rawSql("super");
  try {
    await su.begin(async (t) => {
      await t`set local session_replication_role = replica`;
      await t`update environment_variables set rotation_interval_days = ${intervalDays} where id = ${f.ids[name]}`;
      await t`update environment_variable_values set last_rotated_at = now() - make_interval(days => ${changedDaysAgo})
               where variable_id = ${f.ids[name]} and environment_id = ${f.org.env[env]}`;
    });
  } finally {
    await su.end();
  }
}

const digests = () =>
  withContext(f.org.owner, (tx) =>
    tx
      .select({ data: webhookEvents.data })
      .from(webhookEvents)
      .where(
        and(
          eq(webhookEvents.organizationId, f.org.id),
          eq(webhookEvents.eventType, "credentials.rotation_due"),
        ),
      ),
  );

beforeAll(async () => {
  f = await valueFixture();
  await f.set("STRIPE_SECRET_KEY", "production", "sk_live_51Hproductionkey000");
  const input = webhookEndpointInput.parse({
    url: "https://hooks.example.com/digest",
    events: ["credentials.rotation_due"],
  });
  await withContext(f.org.owner, (tx) => createEndpoint(tx, f.org.owner, input));
});

describe("the weekly digest", () => {
  it("sends nothing while nothing is due within a week", async () => {
    await rotationDigestJob();
    expect(await digests()).toEqual([]);
  });

  it("names the credentials due now or within 7 days, soonest first, and nothing else", async () => {
    await schedule("STRIPE_SECRET_KEY", 30, "production", 40); // 10 days overdue
    await schedule("SESSION_SECRET", 30, "staging", 25); // due in 5 days
    const named = await rotationDigestJob();
    expect(named[f.org.id]).toBe(2);
    const [event] = await digests();
    const data = event.data as { count: number; overdue: number; credentials: Record<string, unknown>[] };
    expect(data).toMatchObject({ count: 2, overdue: 1, listed: 2 });
    expect(data.credentials.map((c) => [c.variable, c.environment, c.overdue])).toEqual([
      ["STRIPE_SECRET_KEY", "production", true],
      ["SESSION_SECRET", "staging", false],
    ]);
    expect(JSON.stringify(event.data)).not.toContain("sk_live_51Hproductionkey000");
  });

  it("is refused to anyone but an owner or admin (the job's context)", async () => {
    const developer = await f.org.member("developer");
    const [row] = await withContext(developer, (tx) =>
      tx.execute<{ n: number }>(sql`select credential_rotation_digest() as n`),
    );
    expect(row.n).toBe(0);
  });
});

describe("credentials due before wedding hours end", () => {
  it("lists what falls due in protected environments before the coming window ends", async () => {
    expect(await withContext(f.org.owner, (tx) => rotationPrecheck(tx, f.org.id, new Date()))).toBeNull();
    await withContext(f.org.owner, (tx) =>
      tx.insert(protectionBlackouts).values({
        organizationId: f.org.id,
        startsAt: sql`now() + interval '20 hours'`,
        endsAt: sql`now() + interval '30 hours'`,
        reason: "Saturday wedding",
      }),
    );
    // Production's key is overdue; staging is not protected; a production value due after the window is not listed.
    await schedule("FEATURE_CHECKOUT", 90, "staging", 89);
    const check = await withContext(f.org.owner, (tx) => rotationPrecheck(tx, f.org.id, new Date()));
    expect(check?.items.map((i) => [i.variable, i.environment])).toEqual([
      ["STRIPE_SECRET_KEY", "production"],
    ]);
    // Due inside the window counts too: an interval that runs out in a day.
    await withContext(f.org.owner, (tx) =>
      tx
        .update(environmentVariables)
        .set({ rotationIntervalDays: 41 })
        .where(eq(environmentVariables.id, f.ids.STRIPE_SECRET_KEY)),
    );
    const again = await withContext(f.org.owner, (tx) => rotationPrecheck(tx, f.org.id, new Date()));
    expect(again?.items.map((i) => i.variable)).toEqual(["STRIPE_SECRET_KEY"]);
    await withContext(f.org.owner, (tx) =>
      tx
        .update(environmentVariables)
        .set({ rotationIntervalDays: 45 })
        .where(eq(environmentVariables.id, f.ids.STRIPE_SECRET_KEY)),
    );
    expect(
      (await withContext(f.org.owner, (tx) => rotationPrecheck(tx, f.org.id, new Date())))?.items,
    ).toEqual([]);
  });
});
