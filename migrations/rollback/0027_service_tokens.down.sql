-- Undoes 0027_service_tokens. Audit rows naming a service token stay (the trail is append-only): the earlier
-- resource list comes back for new rows only (NOT VALID).
DROP FUNCTION service_token_by_hash(text);
DROP TABLE service_tokens;
ALTER TABLE "environment_variable_audit" DROP CONSTRAINT "environment_variable_audit_resource_check";
ALTER TABLE "environment_variable_audit" ADD CONSTRAINT "environment_variable_audit_resource_check" CHECK ("environment_variable_audit"."resource_type" in ('variable', 'value', 'permission', 'environment', 'organization', 'session', 'settings', 'member', 'change_request', 'invitation', 'sync_target', 'drift')) NOT VALID;
