-- Undoes 0042_credential_due: environment health and the weekly digest as 0038 and 0039 wrote them, each with the
-- rule inline; no credential_due_at().
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
  unhealthy_integrations integer;
  degraded_integrations integer;
  rotation_due integer;
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
  SELECT count(*) FILTER (WHERE health_status = 'unhealthy'), count(*) FILTER (WHERE health_status = 'degraded')
    INTO unhealthy_integrations, degraded_integrations
    FROM integration_configs
   WHERE organization_id = org AND environment_id = env_id AND is_active AND deleted_at IS NULL;
  -- Credentials past their variable's rotation interval since their value last changed (0038).
  SELECT count(*) INTO rotation_due
    FROM environment_variable_values evv JOIN environment_variables ev ON ev.id = evv.variable_id
   WHERE evv.organization_id = org AND evv.environment_id = env_id AND ev.deleted_at IS NULL
     AND ev.rotation_interval_days IS NOT NULL
     AND coalesce(evv.last_rotated_at, evv.created_at) + make_interval(days => ev.rotation_interval_days) <= now();
  IF missing_vars > 0 THEN reasons := reasons || format('%s required variable(s) missing', missing_vars); END IF;
  IF critical_drift > 0 THEN reasons := reasons || format('%s critical drift', critical_drift); END IF;
  IF drift_count > critical_drift THEN
    reasons := reasons || format('%s other unresolved drift', drift_count - critical_drift);
  END IF;
  IF last_failure IS NOT NULL AND (last_sync IS NULL OR last_failure > last_sync) THEN
    reasons := reasons || 'the last sync failed'::text;
  END IF;
  IF failed_validations > 0 THEN reasons := reasons || format('%s failed validation(s)', failed_validations); END IF;
  IF unhealthy_integrations > 0 THEN
    reasons := reasons || format('%s unhealthy integration(s)', unhealthy_integrations);
  END IF;
  IF degraded_integrations > 0 THEN
    reasons := reasons || format('%s degraded integration(s)', degraded_integrations);
  END IF;
  IF rotation_due > 0 THEN reasons := reasons || format('%s credential(s) due for rotation', rotation_due); END IF;
  RETURN jsonb_build_object(
    'missing_variables', missing_vars,
    'missing_names', to_jsonb(missing_names),
    'missing_hidden', missing_vars - cardinality(missing_names),
    'configuration_drift', drift_count,
    'critical_drift', critical_drift,
    'failed_validations', failed_validations,
    'last_sync', last_sync,
    'last_failed_sync', last_failure,
    'unhealthy_integrations', unhealthy_integrations,
    'degraded_integrations', degraded_integrations,
    'rotation_due', rotation_due,
    'reasons', to_jsonb(reasons),
    'status', CASE
      WHEN missing_vars > 0 OR critical_drift > 0 OR drift_count > 5
           OR (last_failure IS NOT NULL AND (last_sync IS NULL OR last_failure > last_sync))
           OR unhealthy_integrations > 0 THEN 'critical'
      WHEN drift_count > 0 OR failed_validations > 0 OR degraded_integrations > 0 OR rotation_due > 0 THEN 'warning'
      ELSE 'healthy' END);
END $$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION credential_rotation_digest() RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  org uuid := app_org_id();
  n integer;
  due jsonb;
BEGIN
  IF org IS NULL OR coalesce(app_role(), '') NOT IN ('owner', 'admin') THEN RETURN 0; END IF;
  SELECT count(*),
         coalesce(jsonb_agg(jsonb_build_object('variable', d.variable, 'environment', d.environment,
                    'due_at', d.due_at, 'overdue', d.due_at <= now()) ORDER BY d.due_at, d.environment, d.variable)
                    FILTER (WHERE d.rank <= 500), '[]')
    INTO n, due
    FROM (SELECT ev.name AS variable, e.name AS environment,
                 coalesce(evv.last_rotated_at, evv.created_at) + make_interval(days => ev.rotation_interval_days) AS due_at,
                 row_number() OVER (ORDER BY coalesce(evv.last_rotated_at, evv.created_at)
                                              + make_interval(days => ev.rotation_interval_days)) AS rank
            FROM environment_variable_values evv
            JOIN environment_variables ev ON ev.id = evv.variable_id
            JOIN environments e ON e.id = evv.environment_id
           WHERE evv.organization_id = org AND ev.deleted_at IS NULL AND ev.rotation_interval_days IS NOT NULL
             AND coalesce(evv.last_rotated_at, evv.created_at) + make_interval(days => ev.rotation_interval_days)
                 <= now() + interval '7 days') d;
  IF n = 0 THEN RETURN 0; END IF;
  PERFORM webhook_emit(org, 'credentials.rotation_due', NULL,
    jsonb_build_object('count', n, 'overdue', (SELECT count(*) FROM jsonb_array_elements(due) x WHERE (x->>'overdue')::boolean),
                       'credentials', due, 'listed', jsonb_array_length(due)));
  RETURN n;
END $$;
--> statement-breakpoint
DROP FUNCTION credential_due_at(timestamptz, timestamptz, integer);
