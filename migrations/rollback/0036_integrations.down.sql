-- Undoes 0036_integrations: integration configs, their health, OAuth connections, events and change requests go;
-- environment health is computed as in 0024 again.
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
DROP TABLE "integration_oauth_states";--> statement-breakpoint
DROP TABLE "integration_webhook_events";--> statement-breakpoint
DROP TABLE "integration_oauth_connections";--> statement-breakpoint
DROP TABLE "integration_health_checks";--> statement-breakpoint
DROP TABLE "integration_configs";--> statement-breakpoint
DROP FUNCTION enforce_integration_gates();--> statement-breakpoint
DROP FUNCTION integration_health_events();--> statement-breakpoint
DROP FUNCTION integration_inbound_target(uuid);--> statement-breakpoint
-- RLS is forced on change_requests: its owner sees no row through it, so it is lifted for the delete.
ALTER TABLE change_requests NO FORCE ROW LEVEL SECURITY;--> statement-breakpoint
DELETE FROM change_requests WHERE action = 'integration:delete';--> statement-breakpoint
ALTER TABLE change_requests FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "change_requests" DROP CONSTRAINT "change_requests_action_check";--> statement-breakpoint
ALTER TABLE "change_requests" ADD CONSTRAINT "change_requests_action_check" CHECK ("change_requests"."action" in ('values', 'variable:update', 'variable:delete', 'environment:update', 'protection:remove', 'policy:grant', 'member:role', 'target:update', 'target:create', 'variable:restore', 'settings:time_zone', 'destination:delete'));--> statement-breakpoint
ALTER TABLE "environment_variable_audit" DROP CONSTRAINT "environment_variable_audit_resource_check";--> statement-breakpoint
ALTER TABLE "environment_variable_audit" ADD CONSTRAINT "environment_variable_audit_resource_check" CHECK ("environment_variable_audit"."resource_type" in ('variable', 'value', 'permission', 'environment', 'organization', 'session', 'settings', 'member', 'change_request', 'invitation', 'sync_target', 'drift', 'service_token', 'webhook', 'destination')) NOT VALID;
