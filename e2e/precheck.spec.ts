import { expect, test } from "@playwright/test";
import { expectAccessible } from "./axe";
import { asSuperuser } from "./db";
import { asUser, ORG } from "./support";

/**
 * A simulated Friday: wedding hours open in 20 hours. Planted behind the app's back: an unresolved drift in
 * production and a production credential whose rotation falls due in a day, on "Saturday". On-call staff open
 * the dashboard, run the pre-check and read both on its checklist; everything planted is undone after.
 */
test("on a Friday the pre-check lists an unresolved drift and a credential due on Saturday @phone", async ({
  browser,
}) => {
  const plant = await asSuperuser(async (sql) => {
    const [org] = await sql<{ id: string; env: string }[]>`
      select o.id, e.id as env from organizations o join environments e on e.organization_id = o.id
       where o.slug = ${ORG} and e.name = 'production'`;
    const [credential] = await sql<
      { variable: string; name: string; interval: number | null; at: Date | null }[]
    >`
      select v.variable_id as variable, ev.name, ev.rotation_interval_days as interval, v.last_rotated_at as at
        from environment_variable_values v join environment_variables ev on ev.id = v.variable_id
       where v.environment_id = ${org.env} and ev.deleted_at is null order by ev.name limit 1`;
    return sql.begin(async (t) => {
      await t`set local session_replication_role = replica`;
      const [blackout] = await t<{ id: string }[]>`
        insert into protection_blackouts (organization_id, starts_at, ends_at, reason)
        values (${org.id}, now() + interval '20 hours', now() + interval '30 hours', 'E2E Saturday wedding')
        returning id`;
      const [drift] = await t<{ id: string }[]>`
        insert into configuration_drift (organization_id, environment_id, drift_type, variable_name, drift_key,
                                         drift_severity)
        values (${org.id}, ${org.env}, 'value_mismatch', 'E2E_PRECHECK_DRIFT', 'e2e-precheck', 'high') returning id`;
      await t`update environment_variables set rotation_interval_days = 30 where id = ${credential.variable}`;
      await t`update environment_variable_values set last_rotated_at = now() - interval '29 days'
               where variable_id = ${credential.variable} and environment_id = ${org.env}`;
      return { org, credential, blackout: blackout.id, drift: drift.id };
    });
  });
  const { page, context } = await asUser(browser, "oncall@demo.test");
  try {
    await page.goto(`/o/${ORG}`);
    const section = page.getByRole("region", { name: "Pre-check before wedding hours" });
    await expect(section).toContainText("Wedding hours:");
    await section.getByRole("button", { name: "Run the pre-check now" }).click();
    await expect(section.getByRole("status")).toContainText("Pre-check run");
    await expect(section).toContainText("(on demand by oncall@demo.test)");
    const item = (name: string) => section.getByRole("listitem", { name, exact: true });
    await expect(item("Unresolved drift")).toContainText("production: 1 finding");
    await expect(item("Unresolved drift").getByRole("link", { name: "Resolve drift" })).toBeVisible();
    await expect(item("Credentials due before wedding hours end")).toContainText("production: 1 credential");
    // By name, on the panel of credentials due before the window ends: due inside it.
    const due = page.getByRole("region", { name: "Credentials due before wedding hours end" });
    await expect(due).toContainText(`${plant.credential.name} in production: due`);
    await expect(item("Failed syncs")).toContainText("ok");
    await expectAccessible(page, `/o/${ORG}`);
  } finally {
    await context.close();
    await asSuperuser((sql) =>
      sql.begin(async (t) => {
        await t`set local session_replication_role = replica`;
        await t`delete from protection_blackouts where id = ${plant.blackout}`;
        await t`delete from configuration_drift where id = ${plant.drift}`;
        await t`update environment_variables set rotation_interval_days = ${plant.credential.interval}
                 where id = ${plant.credential.variable}`;
        await t`update environment_variable_values set last_rotated_at = ${plant.credential.at}
                 where variable_id = ${plant.credential.variable} and environment_id = ${plant.org.env}`;
      }),
    );
  }
});
