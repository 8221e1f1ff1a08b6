/**
 * What the operator console's alert tests share: a superuser connection, an organization with an on-call member
 * made an installation operator, thresholds planted and reset, and the open alerts as `rule:subject`.
 */
import { afterAll, beforeAll } from "vitest";
import { grantOperator } from "@/db/operators";
import { alertsOverview, evaluateAlerts } from "@/server/ops/alerts";
import { makeOrg, rawSql, type TestOrg } from "./support";

export function opsFixture() {
  const su = rawSql("super");
  const fx = {
    su,
    org: undefined as unknown as TestOrg,
    operator: undefined as unknown as { userId: string; email: string },
    threshold: (rule: string, value: number) =>
      su`insert into ops_alert_thresholds (rule, threshold, updated_by) values (${rule}, ${value}, 'test')
         on conflict (rule) do update set threshold = excluded.threshold`,
    resetThresholds: () => su`delete from ops_alert_thresholds where updated_by = 'test'`,
    open: async () =>
      (await alertsOverview({ userId: fx.operator.userId })).open.map((a) => `${a.rule}:${a.subject}`),
  };
  beforeAll(async () => {
    fx.org = await makeOrg();
    const member = await fx.org.member("on_call");
    fx.operator = { userId: member.userId, email: member.email };
    const owner = rawSql("owner");
    try {
      await grantOperator(owner, fx.operator.email);
    } finally {
      await owner.end();
    }
    await fx.resetThresholds();
    await evaluateAlerts();
  });
  afterAll(async () => {
    await fx.resetThresholds();
    await evaluateAlerts();
    await su.end();
  });
  return fx;
}
