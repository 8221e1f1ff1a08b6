import { describe, expect, it } from "vitest";
import { rawSql } from "./support";

describe("SECURITY DEFINER functions", () => {
  it("all resolve names in public first and the caller's temporary schema last", async () => {
    const s = rawSql("super");
    try {
      const rows = await s<{ name: string; config: string[] | null }[]>`
        select p.proname as name, p.proconfig as config from pg_proc p
          join pg_namespace n on n.oid = p.pronamespace
         where n.nspname = 'public' and p.prosecdef order by 1`;
      expect(rows.length).toBeGreaterThan(5);
      // Each pins its search_path; the only other setting allowed is the per-run planning of the statement
      // triggers that read transition tables (migration 0023).
      for (const r of rows)
        expect({
          name: r.name,
          config: r.config?.filter((c) => c !== "plan_cache_mode=force_custom_plan"),
        }).toEqual({
          name: r.name,
          config: ["search_path=public, pg_temp"],
        });
    } finally {
      await s.end();
    }
  });

  it("cannot be fooled by a temporary table the app role creates", async () => {
    const app = rawSql("app");
    try {
      const forged = await app.begin(async (tx) => {
        await tx`create temporary table invitations (like public.invitations including defaults) on commit drop`;
        await tx`create temporary table organizations (like public.organizations including defaults) on commit drop`;
        await tx`insert into organizations (id, slug, name) values (gen_random_uuid(), 'forged', 'Forged Ltd')`;
        await tx`insert into invitations (id, organization_id, email, role, token_hash, invited_by, expires_at)
          select gen_random_uuid(), id, 'mallory@example.com', 'owner', 'h', gen_random_uuid(), now() + interval '1 day'
            from organizations`;
        return tx`select organization_name from invitation_by_token('h')`;
      });
      expect(forged).toEqual([]);
    } finally {
      await app.end();
    }
  });
});
