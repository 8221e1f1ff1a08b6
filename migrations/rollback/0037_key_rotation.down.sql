-- Undoes 0037_key_rotation: rotations and key settings go; the value triggers fire on every update again. Keys
-- keep their status (a rotating or deprecated key still decrypts); audit rows about keys stay (NOT VALID).
DROP TRIGGER environment_variable_values_rewrap ON environment_variable_values;--> statement-breakpoint
DROP TRIGGER value_versions_rewrap ON value_versions;--> statement-breakpoint
DROP TRIGGER change_request_items_rewrap ON change_request_items;--> statement-breakpoint
DROP FUNCTION guard_key_rewrap();--> statement-breakpoint
DROP TRIGGER environment_variable_values_wedding_lock ON environment_variable_values;--> statement-breakpoint
CREATE TRIGGER environment_variable_values_wedding_lock BEFORE INSERT OR UPDATE OR DELETE ON environment_variable_values
  FOR EACH ROW EXECUTE FUNCTION enforce_wedding_lock_on_values();--> statement-breakpoint
DROP TRIGGER environment_variable_values_audit_update ON environment_variable_values;--> statement-breakpoint
CREATE TRIGGER environment_variable_values_audit_update AFTER UPDATE ON environment_variable_values
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION log_value_updates();--> statement-breakpoint
DROP TRIGGER environment_variable_values_notify_update ON environment_variable_values;--> statement-breakpoint
CREATE TRIGGER environment_variable_values_notify_update AFTER UPDATE ON environment_variable_values
  REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION notify_value_changes();--> statement-breakpoint
DROP TRIGGER environment_variable_values_approval_update ON environment_variable_values;--> statement-breakpoint
CREATE TRIGGER environment_variable_values_approval_update AFTER UPDATE ON environment_variable_values
  REFERENCING OLD TABLE AS previous NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION enforce_value_approval();--> statement-breakpoint
DROP TRIGGER environment_variable_values_version_update ON environment_variable_values;--> statement-breakpoint
CREATE TRIGGER environment_variable_values_version_update AFTER UPDATE ON environment_variable_values
  REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION bump_value_version();--> statement-breakpoint
DROP TRIGGER environment_variable_values_webhook_update ON environment_variable_values;--> statement-breakpoint
CREATE TRIGGER environment_variable_values_webhook_update AFTER UPDATE ON environment_variable_values
  REFERENCING OLD TABLE AS before_change NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION webhook_value_changes();--> statement-breakpoint
DROP TRIGGER environment_variable_values_usable_keys_insert ON environment_variable_values;--> statement-breakpoint
DROP TRIGGER environment_variable_values_usable_keys_update ON environment_variable_values;--> statement-breakpoint
DROP TRIGGER change_request_items_usable_keys ON change_request_items;--> statement-breakpoint
DROP TRIGGER sync_targets_usable_keys_insert ON sync_targets;--> statement-breakpoint
DROP TRIGGER sync_targets_usable_keys_update ON sync_targets;--> statement-breakpoint
DROP TRIGGER webhook_endpoints_usable_keys_insert ON webhook_endpoints;--> statement-breakpoint
DROP TRIGGER webhook_endpoints_usable_keys_update ON webhook_endpoints;--> statement-breakpoint
DROP TRIGGER integration_oauth_states_usable_keys ON integration_oauth_states;--> statement-breakpoint
DROP FUNCTION enforce_usable_keys();--> statement-breakpoint
DROP TRIGGER encryption_keys_lifecycle ON encryption_keys;--> statement-breakpoint
DROP FUNCTION enforce_key_lifecycle();--> statement-breakpoint
DROP FUNCTION data_key_use(text);--> statement-breakpoint
DROP POLICY value_versions_rewrap ON value_versions;--> statement-breakpoint
DROP POLICY integration_oauth_states_rewrap ON integration_oauth_states;--> statement-breakpoint
DROP INDEX idx_env_var_values_key;--> statement-breakpoint
DROP INDEX idx_value_versions_key;--> statement-breakpoint
DROP POLICY encryption_keys_definer ON encryption_keys;--> statement-breakpoint
DROP POLICY value_versions_definer_read ON value_versions;--> statement-breakpoint
DROP POLICY change_request_items_definer_read ON change_request_items;--> statement-breakpoint
DROP POLICY sync_targets_definer_read ON sync_targets;--> statement-breakpoint
DO $$
DECLARE app text := coalesce(nullif(current_setting('ringbearer.app_role', true), ''), 'ringbearer_app');
BEGIN
  EXECUTE format('REVOKE UPDATE (encrypted_value, encryption_key_id) ON value_versions FROM %I', app);
  EXECUTE format('REVOKE UPDATE (new_encrypted_value, encryption_key_id) ON change_request_items FROM %I', app);
END $$;--> statement-breakpoint
DROP TABLE "key_rotation_failures";--> statement-breakpoint
DROP FUNCTION notify_key_rotation() CASCADE;--> statement-breakpoint
DROP TABLE "key_rotations";--> statement-breakpoint
DROP TABLE "key_settings";--> statement-breakpoint
ALTER TABLE "environment_variable_audit" DROP CONSTRAINT "environment_variable_audit_resource_check";--> statement-breakpoint
ALTER TABLE "environment_variable_audit" ADD CONSTRAINT "environment_variable_audit_resource_check" CHECK ("environment_variable_audit"."resource_type" in ('variable', 'value', 'permission', 'environment', 'organization', 'session', 'settings', 'member', 'change_request', 'invitation', 'sync_target', 'drift', 'service_token', 'webhook', 'destination', 'integration')) NOT VALID;
