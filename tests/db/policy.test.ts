import { describe, expect, it } from "vitest";
import { baselinePermission, PERMISSIONS } from "@/lib/policy";
import { ENVIRONMENT_TYPES, ROLES } from "@/lib/roles";
import { timeRestrictionAllows } from "@/lib/time-restrictions";
import { TIME_CASES } from "../support/policy-cases";
import { rawSql } from "./support";

describe("the permission baseline in SQL (used by RLS)", () => {
  it("agrees with lib/policy for every role and environment type", async () => {
    const sql = rawSql("app");
    try {
      const rows = await sql<{ role: string; env_type: string; level: number }[]>`
        select r as role, t as env_type, baseline_permission(r, t) as level
          from unnest(string_to_array(${ROLES.join(",")}, ',')) r, unnest(string_to_array(${ENVIRONMENT_TYPES.join(",")}, ',')) t`;
      expect(rows).toHaveLength(ROLES.length * ENVIRONMENT_TYPES.length);
      const disagreements = rows.filter(
        (row) =>
          PERMISSIONS[row.level] !==
          baselinePermission(
            row.role as (typeof ROLES)[number],
            row.env_type as (typeof ENVIRONMENT_TYPES)[number],
          ),
      );
      expect(disagreements).toEqual([]);
    } finally {
      await sql.end();
    }
  });
});

describe("time-of-day restrictions in SQL (app_policy_time_ok, used by app_value_permission)", () => {
  it("agree with lib/time-restrictions at every fixed instant of the table", async () => {
    const sql = rawSql("app");
    try {
      const answers = [];
      for (const c of TIME_CASES) {
        const [row] = await sql<{ ok: boolean }[]>`
          select app_policy_time_ok(${sql.json(c.restriction)}, ${c.timeZone}, ${c.at}::timestamptz) as ok`;
        answers.push({
          name: c.name,
          sql: row.ok,
          lib: timeRestrictionAllows(c.restriction, c.timeZone, new Date(c.at)),
          expected: c.allowed,
        });
      }
      expect(answers.filter((a) => a.sql !== a.expected || a.lib !== a.expected)).toEqual([]);
    } finally {
      await sql.end();
    }
  });
});
