-- Undoes 0014_sync_targets.
CREATE OR REPLACE FUNCTION get_environment_health(env_id uuid) RETURNS jsonb LANGUAGE plpgsql STABLE AS $$
DECLARE
  missing_vars integer;
  drift_count integer;
  failed_validations integer;
  last_sync timestamptz;
BEGIN
  SELECT count(*) INTO missing_vars
    FROM environment_variables ev
    JOIN environments e ON e.id = env_id AND e.organization_id = ev.organization_id
    LEFT JOIN environment_variable_values evv ON evv.variable_id = ev.id AND evv.environment_id = env_id
   WHERE ev.is_required AND ev.deleted_at IS NULL AND evv.id IS NULL;
  SELECT count(*) INTO drift_count FROM configuration_drift WHERE environment_id = env_id AND resolved_at IS NULL;
  SELECT count(DISTINCT variable_id) INTO failed_validations FROM (
    SELECT DISTINCT ON (variable_id, validation_type) variable_id, validation_status
      FROM variable_validations WHERE environment_id = env_id
     ORDER BY variable_id, validation_type, validated_at DESC) latest
   WHERE validation_status = 'failed';
  SELECT max(completed_at) INTO last_sync FROM deployment_syncs
   WHERE environment_id = env_id AND sync_status = 'completed';
  RETURN jsonb_build_object(
    'missing_variables', missing_vars,
    'configuration_drift', drift_count,
    'failed_validations', failed_validations,
    'last_sync', last_sync,
    'status', CASE
      WHEN missing_vars > 0 OR drift_count > 5 THEN 'critical'
      WHEN drift_count > 0 OR failed_validations > 0 THEN 'warning'
      ELSE 'healthy' END);
END $$;
DROP TRIGGER configuration_drift_notify_insert ON configuration_drift;
DROP TRIGGER configuration_drift_notify_update ON configuration_drift;
DROP FUNCTION notify_drift();
DROP INDEX configuration_drift_open_key;
ALTER TABLE configuration_drift DROP CONSTRAINT configuration_drift_resolution_check;
ALTER TABLE configuration_drift DROP COLUMN target_id, DROP COLUMN variable_id, DROP COLUMN drift_key,
  DROP COLUMN details, DROP COLUMN last_seen_at, DROP COLUMN resolution, DROP COLUMN resolved_by;
ALTER TABLE deployment_syncs DROP COLUMN target_id;
DROP TABLE sync_targets;

ALTER TABLE environment_variable_audit DROP CONSTRAINT environment_variable_audit_resource_check;
ALTER TABLE environment_variable_audit ADD CONSTRAINT environment_variable_audit_resource_check CHECK (resource_type in ('variable', 'value', 'permission', 'environment', 'organization', 'session', 'settings', 'member', 'change_request', 'invitation')) NOT VALID;
