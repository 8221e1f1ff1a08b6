-- 1. Environment health is the same for every member. get_environment_health ran with the caller's rights, so
--    RLS hid the production values a developer or viewer may not read and their health counted those required
--    variables as missing: a false "critical". It now runs as the owner (SECURITY DEFINER, fixed search_path),
--    answers only a member of the environment's organization (NULL to anyone else), counts every row, and
--    names the missing variables only where the caller may read them (the rest is a count, `missing_hidden`).
--    The owner role gets a SELECT policy on value rows for it, as for job_contexts() on memberships.
DO $$
BEGIN
  EXECUTE format('CREATE POLICY env_var_values_owner_read ON environment_variable_values FOR SELECT TO %I USING (true)',
    current_user);
END $$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION get_environment_health(env_id uuid) RETURNS jsonb
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  org uuid;
  readable_env boolean;
  missing_vars integer;
  missing_names text[];
  drift_count integer;
  critical_drift integer;
  failed_validations integer;
  last_sync timestamptz;
  last_failure timestamptz;
  reasons text[] := '{}';
BEGIN
  SELECT e.organization_id INTO org FROM environments e WHERE e.id = env_id AND e.organization_id = app_org_id();
  IF org IS NULL OR app_role() IS NULL THEN RETURN NULL; END IF;
  readable_env := env_id = ANY (app_visible_env_ids());
  SELECT count(*),
         coalesce(array_agg(ev.name::text ORDER BY ev.name)
                    FILTER (WHERE readable_env OR app_value_permission(ev.id, env_id) >= 1), '{}')
    INTO missing_vars, missing_names
    FROM environment_variables ev
    LEFT JOIN environment_variable_values evv ON evv.variable_id = ev.id AND evv.environment_id = env_id
   WHERE ev.organization_id = org AND ev.is_required AND ev.deleted_at IS NULL AND evv.id IS NULL;
  SELECT count(*), count(*) FILTER (WHERE drift_severity = 'critical') INTO drift_count, critical_drift
    FROM configuration_drift WHERE organization_id = org AND environment_id = env_id AND resolved_at IS NULL;
  SELECT count(DISTINCT variable_id) INTO failed_validations FROM (
    SELECT DISTINCT ON (variable_id, validation_type) variable_id, validation_status
      FROM variable_validations WHERE organization_id = org AND environment_id = env_id
     ORDER BY variable_id, validation_type, validated_at DESC) latest
   WHERE validation_status = 'failed';
  SELECT max(completed_at) FILTER (WHERE sync_status = 'completed'),
         max(coalesce(completed_at, started_at)) FILTER (WHERE sync_status = 'failed')
    INTO last_sync, last_failure FROM deployment_syncs WHERE organization_id = org AND environment_id = env_id;
  IF missing_vars > 0 THEN reasons := reasons || format('%s required variable(s) missing', missing_vars); END IF;
  IF critical_drift > 0 THEN reasons := reasons || format('%s critical drift', critical_drift); END IF;
  IF drift_count > critical_drift THEN
    reasons := reasons || format('%s other unresolved drift', drift_count - critical_drift);
  END IF;
  IF last_failure IS NOT NULL AND (last_sync IS NULL OR last_failure > last_sync) THEN
    reasons := reasons || 'the last sync failed'::text;
  END IF;
  IF failed_validations > 0 THEN reasons := reasons || format('%s failed validation(s)', failed_validations); END IF;
  RETURN jsonb_build_object(
    'missing_variables', missing_vars,
    'missing_names', to_jsonb(missing_names),
    'missing_hidden', missing_vars - cardinality(missing_names),
    'configuration_drift', drift_count,
    'critical_drift', critical_drift,
    'failed_validations', failed_validations,
    'last_sync', last_sync,
    'last_failed_sync', last_failure,
    'reasons', to_jsonb(reasons),
    'status', CASE
      WHEN missing_vars > 0 OR critical_drift > 0 OR drift_count > 5
           OR (last_failure IS NOT NULL AND (last_sync IS NULL OR last_failure > last_sync)) THEN 'critical'
      WHEN drift_count > 0 OR failed_validations > 0 THEN 'warning'
      ELSE 'healthy' END);
END $$;
--> statement-breakpoint
DO $$
DECLARE app text := coalesce(nullif(current_setting('ringbearer.app_role', true), ''), 'ringbearer_app');
BEGIN
  EXECUTE 'REVOKE ALL ON FUNCTION get_environment_health(uuid) FROM PUBLIC';
  EXECUTE format('GRANT EXECUTE ON FUNCTION get_environment_health(uuid) TO %I', app);
END $$;
--> statement-breakpoint
-- 2. A dismissal holds for that exact drift (same key, same expected and deployed hashes) while scans keep
--    seeing it; it ends when a scan no longer sees the drift or sees a different one under the same key
--    (the deployed state changed), so a new difference is reported again.
ALTER TABLE configuration_drift ADD COLUMN dismissal_ended_at timestamptz;
--> statement-breakpoint
CREATE INDEX idx_config_drift_dismissed ON configuration_drift (organization_id, drift_key)
  WHERE resolution = 'dismissed' AND dismissal_ended_at IS NULL;
--> statement-breakpoint
-- 3. A value written back from an earlier version (a restore, applied at once or on approval) is audited as
--    `restore`, not `update`/`create`: the write path sets app.value_action for that statement and clears it
--    after. Any other setting is ignored (the row is then the plain create or update).
CREATE FUNCTION value_action(plain text) RETURNS text LANGUAGE sql STABLE AS $$
  SELECT CASE WHEN current_setting('app.value_action', true) = 'restore' THEN 'restore' ELSE plain END
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION log_value_inserts() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER
SET search_path = public, pg_temp SET plan_cache_mode = force_custom_plan AS $$
BEGIN
  INSERT INTO value_versions (organization_id, variable_id, environment_id, version, operation,
                              encrypted_value, encryption_key_id, value_hash, note, created_by)
  SELECT n.organization_id, n.variable_id, n.environment_id, n.version, 'set', n.encrypted_value,
         n.encryption_key_id, n.value_hash, n.change_note, app_user_id()
    FROM new_rows n ORDER BY n.variable_id;
  INSERT INTO environment_variable_audit (organization_id, variable_id, environment_id, user_id, action,
    resource_type, resource_id, previous_value_hash, new_value_hash, change_details, security_context,
    risk_level, emergency, ip_address, user_agent, session_id)
  SELECT n.organization_id, n.variable_id, n.environment_id, app_user_id(), value_action('create'), 'value', n.id, NULL,
    n.value_hash,
    jsonb_build_object('table', TG_TABLE_NAME, 'operation', TG_OP, 'version', n.version,
      'changed_fields', NULL, 'note', n.change_note),
    jsonb_build_object('db_role', session_user, 'via', CASE WHEN app_user_id() IS NULL THEN 'direct_sql' ELSE 'app' END),
    nullif(current_setting('app.risk_level', true), ''), app_emergency_session_id() IS NOT NULL,
    coalesce(nullif(current_setting('app.ip', true), '')::inet, inet_client_addr()),
    nullif(current_setting('app.user_agent', true), ''), nullif(current_setting('app.session_id', true), '')
    FROM new_rows n ORDER BY n.variable_id;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION log_value_updates() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER
SET search_path = public, pg_temp SET plan_cache_mode = force_custom_plan AS $$
BEGIN
  INSERT INTO value_versions (organization_id, variable_id, environment_id, version, operation,
                              encrypted_value, encryption_key_id, value_hash, note, created_by)
  SELECT n.organization_id, n.variable_id, n.environment_id, n.version, 'set', n.encrypted_value,
         n.encryption_key_id, n.value_hash, n.change_note, app_user_id()
    FROM new_rows n ORDER BY n.variable_id;
  INSERT INTO environment_variable_audit (organization_id, variable_id, environment_id, user_id, action,
    resource_type, resource_id, previous_value_hash, new_value_hash, change_details, security_context,
    risk_level, emergency, ip_address, user_agent, session_id)
  SELECT n.organization_id, n.variable_id, n.environment_id, app_user_id(), value_action('update'), 'value', n.id,
    o.value_hash, n.value_hash,
    jsonb_build_object('table', TG_TABLE_NAME, 'operation', TG_OP, 'version', n.version,
      'changed_fields', to_jsonb(array_remove(ARRAY[
        CASE WHEN n.value_hash IS DISTINCT FROM o.value_hash THEN 'value' END,
        CASE WHEN n.encryption_key_id IS DISTINCT FROM o.encryption_key_id THEN 'encryption_key_id' END,
        CASE WHEN n.expires_at IS DISTINCT FROM o.expires_at THEN 'expires_at' END,
        CASE WHEN n.validation_status IS DISTINCT FROM o.validation_status THEN 'validation_status' END,
        CASE WHEN n.change_note IS DISTINCT FROM o.change_note THEN 'change_note' END], NULL)),
      'note', n.change_note),
    jsonb_build_object('db_role', session_user, 'via', CASE WHEN app_user_id() IS NULL THEN 'direct_sql' ELSE 'app' END),
    nullif(current_setting('app.risk_level', true), ''), app_emergency_session_id() IS NOT NULL,
    coalesce(nullif(current_setting('app.ip', true), '')::inet, inet_client_addr()),
    nullif(current_setting('app.user_agent', true), ''), nullif(current_setting('app.session_id', true), '')
    FROM new_rows n JOIN old_rows o ON o.id = n.id ORDER BY n.variable_id;
  RETURN NULL;
END $$;
