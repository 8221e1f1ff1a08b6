/**
 * The bench's organization: 20 environments (the three standard ones and 17 more), 10,000 variables, their values
 * encrypted and hashed exactly as the app does (a few missing per environment), and 1,000,000 audit rows over a
 * year (one monthly partition each month) — bulk
 * loaded as the superuser with per-row triggers off, then VACUUM ANALYZE as autovacuum would.
 */
import postgres from "postgres";
import { withContext } from "@/db/context";
import { orgKeys } from "@/db/vault";
import { encryptValue, hmacValue } from "@/lib/crypto";

/** One audit row every 31.5 s: 1,000,000 rows span a year, 13 monthly partitions (12 full months). */
export const AUDIT_SPACING_SECONDS = 31.5;

export async function generateOrganization(o: {
  superUrl: string;
  ctx: { userId: string; organizationId: string; role: "owner" };
  environments: number;
  variables: number;
  auditRows: number;
  log: (m: string) => void;
}) {
  const { superUrl, ctx, environments, variables, auditRows, log } = o;
  const org = { id: ctx.organizationId };
  const owner = { id: ctx.userId };
  const genStarted = performance.now();
  const sql = postgres(superUrl, { max: 1, onnotice: () => {} });
  await sql`set session_replication_role = replica`; // bulk load: no per-row triggers
  await sql`insert into environments (organization_id, name, display_name, environment_type)
    select ${org.id}, 'env-' || lpad(i::text, 2, '0'), 'Environment ' || i,
           (array['development','testing','staging','disaster_recovery'])[1 + i % 4]
      from generate_series(4, ${environments}) i`;
  await sql`insert into environment_variables (organization_id, name, variable_type, security_classification,
      is_required, tags, created_by)
    select ${org.id}, 'VAR_' || lpad(i::text, 5, '0') || '_' || (array['STRIPE','RESEND','TWILIO','HUBSPOT','POSTHOG'])[1 + i % 5],
           (array['secret','configuration','api_key','feature_flag','database_url'])[1 + i % 5]::text,
           (array['internal','confidential','public','wedding_day_critical'])[1 + i % 4], i % 10 = 0,
           array[(array['payments','email','sms','crm','analytics'])[1 + i % 5]], ${owner.id}
      from generate_series(1, ${variables}) i`;
  const envs = await sql<{ id: string; name: string }[]>`select id, name from environments
    where organization_id = ${org.id} order by name`;
  const vars = await sql<{ id: string; n: number }[]>`select id, row_number() over (order by name)::int as n
    from environment_variables where organization_id = ${org.id}`;
  const keys = await withContext(ctx, (tx) => orgKeys(tx, org.id));
  log(`encrypting ${envs.length * vars.length} values…`);
  for (const [e, env] of envs.entries()) {
    const cols = { variable: [] as string[], value: [] as string[], hash: [] as string[] };
    for (const v of vars) {
      if ((v.n + e) % 23 === 0 && e > 0) continue; // a few keys missing per environment (parity, matrix)
      const plain = e % 4 === 0 ? `value-${v.n}-${e}` : `value-${v.n}-shared`;
      cols.variable.push(v.id);
      cols.value.push(
        encryptValue(keys.dataKey, plain, {
          organizationId: org.id,
          variableId: v.id,
          environmentId: env.id,
        }),
      );
      cols.hash.push(hmacValue(keys.hmacKey, plain));
    }
    await sql`insert into environment_variable_values (organization_id, variable_id, environment_id, encrypted_value,
        encryption_key_id, value_hash, validation_status, created_by)
      select ${org.id}, v, ${env.id}, c, ${keys.dataKeyId}, h, 'passed', ${owner.id}
        from unnest(${cols.variable}::uuid[], ${cols.value}::text[], ${cols.hash}::text[]) as t(v, c, h)`;
  }
  const [{ values }] = await sql<
    { values: number }[]
  >`select count(*)::int as values from environment_variable_values`;
  log(`generating ${auditRows} audit rows…`);
  await sql`insert into environment_variable_audit (organization_id, seq, variable_id, environment_id, user_id, action,
      resource_type, new_value_hash, change_details, prev_hash, row_hash, created_at)
    select ${org.id}, 1000 + i, null, null, ${owner.id},
           (array['create','update','decrypt','export','delete'])[1 + i % 5],
           (array['value','value','value','environment','variable'])[1 + i % 5], md5(i::text), '{}'::jsonb,
           'bench', 'bench', now() - make_interval(secs => (${auditRows} - i) * ${AUDIT_SPACING_SECONDS}::float8)
      from generate_series(1, ${auditRows}) i`;
  await sql`update audit_chain_heads set seq = ${auditRows + 1000}, row_hash = 'bench' where organization_id = ${org.id}`;
  // A year of rows: the months without a partition went to the default one, as after a late monthly job;
  // the job's function gives each its own (0054), moving them out.
  const [{ made }] = await sql<{ made: number }[]>`select audit_ensure_partitions() as made`;
  log(`audit partitions made for the year's rows: ${made}`);
  await sql`set session_replication_role = origin`;
  await sql`vacuum analyze`; // as autovacuum would after a bulk load (visibility map for index-only scans)
  const generated = (performance.now() - genStarted) / 1000;
  log(`generated in ${generated.toFixed(1)} s`);
  const [pg] = await sql<{ version: string }[]>`select version()`;
  await sql.end();
  return { envs, vars, values, generated, postgresVersion: pg.version };
}
