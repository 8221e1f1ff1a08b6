-- Undoes 0024_health_and_dismissals: health runs with the caller's rights again; dismissals end at once;
-- restores are audited as updates again.
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
  SELECT n.organization_id, n.variable_id, n.environment_id, app_user_id(), 'create', 'value', n.id, NULL,
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
  SELECT n.organization_id, n.variable_id, n.environment_id, app_user_id(), 'update', 'value', n.id,
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
DROP FUNCTION value_action(text);
DROP INDEX idx_config_drift_dismissed;
ALTER TABLE configuration_drift DROP COLUMN dismissal_ended_at;
DROP POLICY env_var_values_owner_read ON environment_variable_values;
DROP FUNCTION get_environment_health(uuid);
CREATE FUNCTION get_environment_health(env_id uuid) RETURNS jsonb LANGUAGE plpgsql STABLE AS $$
DECLARE
  missing_vars integer;
  drift_count integer;
  critical_drift integer;
  failed_validations integer;
  last_sync timestamptz;
  last_failure timestamptz;
  reasons text[] := '{}';
BEGIN
  SELECT count(*) INTO missing_vars
    FROM environment_variables ev
    JOIN environments e ON e.id = env_id AND e.organization_id = ev.organization_id
    LEFT JOIN environment_variable_values evv ON evv.variable_id = ev.id AND evv.environment_id = env_id
   WHERE ev.is_required AND ev.deleted_at IS NULL AND evv.id IS NULL;
  SELECT count(*), count(*) FILTER (WHERE drift_severity = 'critical') INTO drift_count, critical_drift
    FROM configuration_drift WHERE environment_id = env_id AND resolved_at IS NULL;
  SELECT count(DISTINCT variable_id) INTO failed_validations FROM (
    SELECT DISTINCT ON (variable_id, validation_type) variable_id, validation_status
      FROM variable_validations WHERE environment_id = env_id
     ORDER BY variable_id, validation_type, validated_at DESC) latest
   WHERE validation_status = 'failed';
  SELECT max(completed_at) FILTER (WHERE sync_status = 'completed'),
         max(coalesce(completed_at, started_at)) FILTER (WHERE sync_status = 'failed')
    INTO last_sync, last_failure FROM deployment_syncs WHERE environment_id = env_id;
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
