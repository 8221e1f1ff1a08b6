-- Undoes 0030_webhooks: endpoints, events, deliveries and their log go.
-- Audit rows naming a webhook stay (the trail is append-only): the earlier resource list holds for new rows only.
DROP FUNCTION webhook_emit(uuid, text, uuid, jsonb);
DROP TABLE webhook_attempts;
DROP TABLE webhook_deliveries;
DROP TABLE webhook_events;
DROP TABLE webhook_endpoints;
ALTER TABLE "environment_variable_audit" DROP CONSTRAINT "environment_variable_audit_resource_check";
ALTER TABLE "environment_variable_audit" ADD CONSTRAINT "environment_variable_audit_resource_check" CHECK ("environment_variable_audit"."resource_type" in ('variable', 'value', 'permission', 'environment', 'organization', 'session', 'settings', 'member', 'change_request', 'invitation', 'sync_target', 'drift', 'service_token')) NOT VALID;
