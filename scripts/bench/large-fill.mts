/**
 * The small organizations of `npm run bench -- --scale large`: `count` organizations as `createOrganization` and
 * the console would leave them (an owner with a membership, the data and hash keys, the three standard
 * environments, the audit chain's head), each with 20 variables, their values in the three environments (a few
 * missing in production), the values' first versions, the organization's value version and an audit row for the
 * organization, each variable and each value. Bulk loaded set-based as the superuser with per-row triggers off, as
 * scripts/bench/generate.mts does. These values are never read: their ciphertext, wrapped keys, hashes and password
 * hashes are placeholders of realistic length, and the audit rows are not hash-chained.
 */
import type postgres from "postgres";

const VARIABLES = 20;

export async function fillOrganizations(sql: postgres.Sql, count: number, kekFingerprint: string) {
  if (count <= 0) return;
  // One connection (the caller's, max 1): the temporary table and the session setting stay on it.
  await sql`set session_replication_role = replica`;
  await sql`create temporary table filler on commit preserve rows as
    select gen_random_uuid() as org, gen_random_uuid() as owner, i from generate_series(1, ${count}) i`;
  await sql`insert into users (id, email, name, password_hash, created_at)
    select owner, 'owner-' || lpad(i::text, 4, '0') || '@filler.bench.test', 'Owner ' || i,
           '$argon2id$v=19$m=19456,t=2,p=1$' || md5('salt' || i) || '$' || md5('hash' || i) || md5('h2' || i),
           now() - make_interval(days => i % 700)
      from filler`;
  await sql`insert into organizations (id, slug, name, time_zone, created_at, updated_at)
    select org, 'filler-' || lpad(i::text, 4, '0'), 'Filler Weddings ' || i,
           (array['Europe/London','Europe/Paris','America/New_York','Australia/Sydney'])[1 + i % 4],
           now() - make_interval(days => i % 700), now() - make_interval(days => i % 700)
      from filler`;
  await sql`insert into memberships (organization_id, user_id, role) select org, owner, 'owner' from filler`;
  await sql`insert into encryption_keys (organization_id, key_id, key_type, key_version, key_status, wrapped_key,
      kek_fingerprint)
    select org, t || ':' || org || ':1', t, 1, 'active',
           'v1.' || left(md5(t || org), 16) || '.' || encode(decode(md5(org::text) || md5(t), 'hex'), 'base64')
             || '.' || left(encode(decode(md5(t || i), 'hex'), 'base64'), 24),
           ${kekFingerprint}
      from filler, unnest(array['data','hmac']) t`;
  await sql`insert into environments (organization_id, name, display_name, environment_type, wedding_day_protection)
    select org, e.name, e.display_name, e.environment_type, e.protection
      from filler, (values ('development', 'Development', 'development', false),
                           ('staging', 'Staging', 'staging', false),
                           ('production', 'Production', 'production', true))
                   as e(name, display_name, environment_type, protection)`;
  await sql`insert into environment_variables (organization_id, name, variable_type, security_classification,
      is_required, is_wedding_critical, tags, created_by, updated_by)
    select org, (array['STRIPE','RESEND','TWILIO','HUBSPOT','POSTHOG'])[1 + j % 5] || '_' || lpad(j::text, 2, '0'),
           (array['secret','configuration','api_key','feature_flag','database_url'])[1 + j % 5],
           (array['internal','confidential','public','wedding_day_critical'])[1 + j % 4], j % 10 = 0, j % 4 = 3,
           array[(array['payments','email','sms','crm','analytics'])[1 + j % 5]], owner, owner
      from filler, generate_series(1, ${VARIABLES}) j`;
  await sql`insert into environment_variable_values (organization_id, variable_id, environment_id, encrypted_value,
      encryption_key_id, value_hash, validation_status, last_rotated_at, created_by, updated_by)
    select f.org, v.id, e.id,
           'v1.' || left(md5(v.id::text || e.id::text), 16) || '.'
             || encode(decode(md5(e.id::text || v.id::text), 'hex'), 'base64') || '.'
             || left(encode(decode(md5(v.name || e.name), 'hex'), 'base64'), 24),
           'data:' || f.org || ':1', md5(v.id::text || e.name) || md5(e.name || v.id::text), 'passed', now(),
           f.owner, f.owner
      from filler f
      join environment_variables v on v.organization_id = f.org
      join environments e on e.organization_id = f.org
     where not (e.name = 'production' and (f.i + length(v.name) + ascii(v.name)) % 7 = 0)`;
  await sql`insert into value_versions (organization_id, variable_id, environment_id, version, operation,
      encrypted_value, encryption_key_id, value_hash, created_by)
    select x.organization_id, x.variable_id, x.environment_id, 1, 'set', x.encrypted_value, x.encryption_key_id,
           x.value_hash, x.created_by
      from environment_variable_values x join filler f on f.org = x.organization_id`;
  await sql`insert into organization_value_versions (organization_id, version)
    select f.org, 1 + count(*) from filler f join environment_variable_values x on x.organization_id = f.org
     group by f.org`;
  // The audit trail of how the console made them: the organization, each variable, each value (numbered per org).
  await sql`insert into environment_variable_audit (organization_id, seq, variable_id, environment_id, user_id,
      action, resource_type, resource_id, new_value_hash, change_details, security_context, risk_level, prev_hash,
      row_hash)
    select organization_id, row_number() over (partition by organization_id order by ord, id), variable_id,
           environment_id, user_id, 'create', resource_type, resource_id, new_value_hash, details,
           '{"via":"app","role":"owner"}'::jsonb, risk, 'bench', 'bench'
      from (select f.org as organization_id, 0 as ord, f.org as id, null::uuid as variable_id,
                   null::uuid as environment_id, f.owner as user_id, 'organization' as resource_type,
                   f.org as resource_id, null as new_value_hash,
                   jsonb_build_object('slug', 'filler-' || lpad(f.i::text, 4, '0')) as details, null as risk
              from filler f
            union all
            select v.organization_id, 1, v.id, v.id, null, v.created_by, 'variable', v.id, null,
                   jsonb_build_object('name', v.name, 'type', v.variable_type,
                                      'classification', v.security_classification), null
              from environment_variables v join filler f on f.org = v.organization_id
            union all
            select x.organization_id, 2, x.id, x.variable_id, x.environment_id, x.created_by, 'value', null,
                   x.value_hash, jsonb_build_object('table', 'environment_variable_values', 'version', 1,
                                                    'operation', 'INSERT'), 'LOW'
              from environment_variable_values x join filler f on f.org = x.organization_id) a`;
  await sql`insert into audit_chain_heads (organization_id, seq, row_hash)
    select f.org, count(*), 'bench' from filler f join environment_variable_audit a on a.organization_id = f.org
     group by f.org`;
  await sql`drop table filler`;
  await sql`set session_replication_role = origin`;
}

/** Rows in the tables an organization fills, over the whole installation, and the database's size. */
export async function installationCounts(sql: postgres.Sql) {
  const [row] = await sql<Record<string, number>[]>`select
      (select count(*) from organizations)::int as organizations,
      (select count(*) from users)::int as users,
      (select count(*) from memberships)::int as memberships,
      (select count(*) from encryption_keys)::int as "encryption keys",
      (select count(*) from environments)::int as environments,
      (select count(*) from environment_variables)::int as variables,
      (select count(*) from environment_variable_values)::int as values,
      (select count(*) from value_versions)::int as "value versions",
      (select count(*) from environment_variable_audit)::int as "audit rows",
      (select count(*) from audit_chain_heads)::int as "audit chain heads",
      pg_total_relation_size('environment_variable_values')::float8 as "values table bytes",
      pg_database_size(current_database())::float8 as "database bytes"`;
  return row;
}

/** An organization's variables, values and environments, counted from the database. */
export async function organizationCounts(sql: postgres.Sql, organizationId: string) {
  const [row] = await sql<{ variables: number; values: number; environments: number }[]>`select
      (select count(*) from environment_variables where organization_id = ${organizationId})::int as variables,
      (select count(*) from environment_variable_values where organization_id = ${organizationId})::int as values,
      (select count(*) from environments where organization_id = ${organizationId})::int as environments`;
  return row;
}
