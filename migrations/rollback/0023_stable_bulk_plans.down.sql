-- Undoes 0023_stable_bulk_plans: the owner's backup read policies go, and the triggers plan as before.
DO $$
DECLARE p record;
BEGIN
  FOR p IN SELECT policyname, tablename FROM pg_policies
            WHERE schemaname = 'public' AND policyname LIKE '%\_owner\_backup\_read' LOOP
    EXECUTE format('DROP POLICY %I ON %I', p.policyname, p.tablename);
  END LOOP;
END $$;
ALTER FUNCTION log_value_inserts() RESET plan_cache_mode;
ALTER FUNCTION log_value_updates() RESET plan_cache_mode;
ALTER FUNCTION log_value_deletes() RESET plan_cache_mode;
ALTER FUNCTION notify_value_changes() RESET plan_cache_mode;
ALTER FUNCTION notify_audit_rows() RESET plan_cache_mode;
ALTER FUNCTION notify_change_requests() RESET plan_cache_mode;
ALTER FUNCTION notify_drift() RESET plan_cache_mode;
ALTER FUNCTION notify_syncs() RESET plan_cache_mode;
CREATE OR REPLACE FUNCTION enforce_value_approval() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  op text := CASE TG_OP WHEN 'DELETE' THEN 'delete' ELSE 'set' END;
  blocked record;
BEGIN
  IF app_user_id() IS NULL THEN RETURN NULL; END IF;
  IF TG_OP = 'UPDATE' THEN
    SELECT v.name, e.name AS env INTO blocked
      FROM changed c JOIN previous p ON p.id = c.id
      JOIN environment_variables v ON v.id = c.variable_id JOIN environments e ON e.id = c.environment_id
     WHERE (c.value_hash IS DISTINCT FROM p.value_hash OR c.encrypted_value IS DISTINCT FROM p.encrypted_value
            OR c.encryption_key_id IS DISTINCT FROM p.encryption_key_id)
       AND value_change_risk(v.security_classification, v.is_wedding_critical, e.environment_type, op) >= 2
       AND NOT app_emergency_ok(c.environment_id)
       AND NOT app_change_request_admits(c.variable_id, c.environment_id, op, c.encrypted_value,
                                         c.encryption_key_id, c.value_hash, p.version)
     LIMIT 1;
  ELSE
    SELECT v.name, e.name AS env INTO blocked
      FROM changed c
      JOIN environment_variables v ON v.id = c.variable_id JOIN environments e ON e.id = c.environment_id
     WHERE NOT (op = 'delete' AND v.deleted_at < now() - interval '90 days')
       AND value_change_risk(v.security_classification, v.is_wedding_critical, e.environment_type, op) >= 2
       AND NOT app_emergency_ok(c.environment_id)
       AND NOT app_change_request_admits(c.variable_id, c.environment_id, op, c.encrypted_value,
                                         c.encryption_key_id, c.value_hash,
                                         CASE WHEN op = 'delete' THEN c.version ELSE 0 END)
     LIMIT 1;
  END IF;
  IF FOUND THEN
    RAISE EXCEPTION 'approval_required: changing % in % is HIGH or CRITICAL risk and needs an approved change request', blocked.name, blocked.env
      USING ERRCODE = 'RBR01';
  END IF;
  RETURN NULL;
END $$;
