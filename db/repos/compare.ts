import "server-only";
import { sql } from "drizzle-orm";
import type { Tx } from "@/db/client";
import { type TenantContext, withContext } from "@/db/context";
import { anyUuid } from "@/db/sql-lists";
import { type DiffKind, diffKind, paritySummary } from "@/lib/compare";

export type CompareRow = {
  variableId: string;
  name: string;
  variableType: string;
  securityClassification: string;
  isRequired: boolean;
  kind: DiffKind;
  fromVersion: number;
  toVersion: number;
};

/** Every live variable set in either environment, with what a promotion from → to would do to it. */
export async function compareRows(tx: Tx, ctx: TenantContext, fromId: string, toId: string, ids?: string[]) {
  const rows = await tx.execute<{
    variable_id: string;
    name: string;
    variable_type: string;
    security_classification: string;
    is_required: boolean;
    from_version: number | null;
    from_hash: string | null;
    to_version: number | null;
    to_hash: string | null;
  }>(sql`
    select v.id as variable_id, v.name, v.variable_type, v.security_classification, v.is_required,
           a.version as from_version, a.value_hash as from_hash, b.version as to_version, b.value_hash as to_hash
      from environment_variables v
      left join environment_variable_values a on a.variable_id = v.id and a.environment_id = ${fromId}
      left join environment_variable_values b on b.variable_id = v.id and b.environment_id = ${toId}
     where v.organization_id = ${ctx.organizationId} and v.deleted_at is null
       and (a.id is not null or b.id is not null)
       ${ids ? sql`and v.id = ${anyUuid(ids)}` : sql``}
     order by v.name`);
  return rows.map(
    (r): CompareRow => ({
      variableId: r.variable_id,
      name: r.name,
      variableType: r.variable_type,
      securityClassification: r.security_classification,
      isRequired: r.is_required,
      kind: diffKind(r.from_hash, r.to_hash) as DiffKind,
      fromVersion: r.from_version ?? 0,
      toVersion: r.to_version ?? 0,
    }),
  );
}

export type ParityLine = {
  environmentId: string;
  name: string;
  below: string;
  lacking: number;
  summary: string;
};

/** For each environment, what it lacks compared with the environment below it in promotion order. */
export async function parity(ctx: TenantContext): Promise<ParityLine[]> {
  return withContext(ctx, async (tx) => {
    const rows = await tx.execute<{
      id: string;
      name: string;
      below: string;
      lacking: number;
      examples: string[] | null;
    }>(sql`
      with envs as (
        select id, name, row_number() over (order by case environment_type when 'development' then 1
               when 'testing' then 2 when 'staging' then 3 when 'production' then 4 else 5 end, name) as n
          from environments
         where organization_id = ${ctx.organizationId} and is_active
           and id = any ((select app_visible_env_ids())::uuid[]))
      select u.id, u.name, l.name as below, m.lacking::int, m.examples
        from envs u join envs l on l.n = u.n - 1
        cross join lateral (
          select count(*) as lacking, (array_agg(v.name order by v.name))[1:3] as examples
            from environment_variable_values lv
            join environment_variables v on v.id = lv.variable_id and v.deleted_at is null
           where lv.environment_id = l.id
             and not exists (select 1 from environment_variable_values uv
                              where uv.environment_id = u.id and uv.variable_id = lv.variable_id)) m
       order by u.n`);
    return rows.map((r) => ({
      environmentId: r.id,
      name: r.name,
      below: r.below,
      lacking: r.lacking,
      summary: paritySummary(r.name, r.below, r.lacking, r.examples ?? []),
    }));
  });
}
