import { describe, expect, it } from "vitest";
import { baselinePermission, PERMISSIONS } from "@/lib/policy";
import { ENVIRONMENT_TYPES, ROLES } from "@/lib/roles";
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
