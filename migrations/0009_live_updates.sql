-- Live updates: one NOTIFY per statement and organization on channel `ringbearer_changes`, with what changed
-- (kind and ids) and never a value. The server LISTENs and forwards to the organization's browsers.
CREATE FUNCTION notify_value_changes() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
DECLARE r record;
BEGIN
  FOR r IN SELECT organization_id, count(*) AS n, (array_agg(DISTINCT environment_id))[1:20] AS envs
             FROM changed GROUP BY organization_id LOOP
    PERFORM pg_notify('ringbearer_changes', json_build_object('org', r.organization_id, 'kind', 'values',
      'count', r.n, 'environments', r.envs)::text);
  END LOOP;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER environment_variable_values_notify_insert AFTER INSERT ON environment_variable_values
  REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION notify_value_changes();
--> statement-breakpoint
CREATE TRIGGER environment_variable_values_notify_update AFTER UPDATE ON environment_variable_values
  REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION notify_value_changes();
--> statement-breakpoint
CREATE TRIGGER environment_variable_values_notify_delete AFTER DELETE ON environment_variable_values
  REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION notify_value_changes();
--> statement-breakpoint
CREATE FUNCTION notify_audit_rows() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
DECLARE r record;
BEGIN
  FOR r IN SELECT organization_id, count(*) AS n, bool_or(emergency) AS emergency
             FROM added GROUP BY organization_id LOOP
    PERFORM pg_notify('ringbearer_changes', json_build_object('org', r.organization_id, 'kind', 'audit',
      'count', r.n, 'emergency', r.emergency)::text);
  END LOOP;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER environment_variable_audit_notify AFTER INSERT ON environment_variable_audit
  REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION notify_audit_rows();
