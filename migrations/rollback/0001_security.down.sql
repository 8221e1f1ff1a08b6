-- Rollback of the security layer: grants, policies, RLS, triggers, functions and the chain heads.
DO $$
DECLARE t text; p record;
BEGIN
  FOR p IN SELECT policyname, tablename FROM pg_policies WHERE schemaname = 'public' LOOP
    EXECUTE format('DROP POLICY %I ON %I', p.policyname, p.tablename);
  END LOOP;
  FOREACH t IN ARRAY ARRAY['organizations', 'memberships', 'environments', 'environment_variables',
    'environment_variable_values', 'value_versions', 'variable_access_policies', 'environment_variable_audit',
    'deployment_syncs', 'variable_validations', 'configuration_drift', 'encryption_keys', 'protection_windows',
    'protection_blackouts', 'emergency_sessions', 'sessions'] LOOP
    EXECUTE format('ALTER TABLE %I NO FORCE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE %I DISABLE ROW LEVEL SECURITY', t);
  END LOOP;
END $$;
DROP TRIGGER environment_variable_values_audit ON environment_variable_values;
DROP TRIGGER environment_variable_values_wedding_lock ON environment_variable_values;
DROP TRIGGER environments_wedding_lock ON environments;
DROP TRIGGER protection_windows_wedding_lock ON protection_windows;
DROP TRIGGER protection_blackouts_wedding_lock ON protection_blackouts;
DROP TRIGGER environment_variables_wedding_lock ON environment_variables;
DROP TRIGGER environment_variable_audit_chain ON environment_variable_audit;
DROP TRIGGER environment_variable_audit_append_only ON environment_variable_audit;
DROP TRIGGER environment_variable_audit_no_truncate ON environment_variable_audit;
DROP FUNCTION log_environment_variable_change();
DROP FUNCTION verify_audit_chain(uuid);
DROP FUNCTION audit_append_only();
DROP FUNCTION audit_chain_append();
DROP FUNCTION audit_row_digest(environment_variable_audit);
DROP TABLE audit_chain_heads;
DROP FUNCTION enforce_wedding_lock_on_variable_delete();
DROP FUNCTION enforce_wedding_lock_on_windows();
DROP FUNCTION enforce_wedding_lock_on_environments();
DROP FUNCTION enforce_wedding_lock_on_values();
DROP FUNCTION get_environment_health(uuid);
DROP FUNCTION app_visible_env_ids();
DROP FUNCTION app_value_permission(uuid, uuid);
DROP FUNCTION baseline_permission(text, text);
DROP FUNCTION app_emergency_ok(uuid);
DROP FUNCTION app_env_locked(uuid);
DROP FUNCTION is_wedding_hours();
DROP FUNCTION is_wedding_hours(uuid, timestamptz);
DROP FUNCTION wedding_lock_until(uuid, timestamptz);
DROP FUNCTION app_role();
DROP FUNCTION app_emergency_session_id();
DROP FUNCTION app_org_id();
DROP FUNCTION app_user_id();
DO $$
DECLARE app text := coalesce(nullif(current_setting('ringbearer.app_role', true), ''), 'ringbearer_app');
BEGIN
  IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = app) THEN
    EXECUTE format('REVOKE ALL ON ALL TABLES IN SCHEMA public FROM %I', app);
  END IF;
END $$;
DELETE FROM security_classifications;
