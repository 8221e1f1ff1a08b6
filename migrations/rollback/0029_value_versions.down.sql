-- Undoes 0029_value_versions: machine reads are no longer cached, and a presented token no longer tells its
-- creator's role (the code that reads either goes with it).
DROP TRIGGER environment_variables_version_delete ON environment_variables;
DROP TRIGGER environment_variables_version_update ON environment_variables;
DROP TRIGGER environment_variables_version_insert ON environment_variables;
DROP TRIGGER environment_variable_values_version_delete ON environment_variable_values;
DROP TRIGGER environment_variable_values_version_update ON environment_variable_values;
DROP TRIGGER environment_variable_values_version_insert ON environment_variable_values;
DROP FUNCTION bump_value_version();
DROP TABLE organization_value_versions;
DROP FUNCTION service_token_by_hash(text);
CREATE FUNCTION service_token_by_hash(hash text)
RETURNS TABLE (id uuid, organization_id uuid, environment_ids uuid[], access varchar, name_prefix varchar,
               tag varchar, allowed_cidrs text[], expires_at timestamptz, revoked_at timestamptz, created_by uuid)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
  SELECT t.id, t.organization_id, t.environment_ids, t.access, t.name_prefix, t.tag, t.allowed_cidrs, t.expires_at,
         t.revoked_at, t.created_by
    FROM service_tokens t WHERE t.token_hash = hash
$$;
DO $$
DECLARE app text := coalesce(nullif(current_setting('ringbearer.app_role', true), ''), 'ringbearer_app');
BEGIN
  EXECUTE 'REVOKE ALL ON FUNCTION service_token_by_hash(text) FROM PUBLIC';
  EXECUTE format('GRANT EXECUTE ON FUNCTION service_token_by_hash(text) TO %I', app);
END $$;
CREATE OR REPLACE FUNCTION notify_audit_rows() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER
  SET search_path = public, pg_temp SET plan_cache_mode = force_custom_plan AS $$
DECLARE r record;
BEGIN
  FOR r IN SELECT organization_id, count(*) AS n, bool_or(emergency) AS emergency
             FROM added GROUP BY organization_id LOOP
    PERFORM pg_notify('ringbearer_changes', json_build_object('org', r.organization_id, 'kind', 'audit',
      'count', r.n, 'emergency', r.emergency)::text);
  END LOOP;
  RETURN NULL;
END $$;
