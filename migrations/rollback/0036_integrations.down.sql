-- Undoes 0036_integrations: integration configs, their health, OAuth connections, events and change requests go.
DROP TABLE "integration_webhook_events";--> statement-breakpoint
DROP TABLE "integration_oauth_connections";--> statement-breakpoint
DROP TABLE "integration_health_checks";--> statement-breakpoint
DROP TABLE "integration_configs";--> statement-breakpoint
DROP FUNCTION enforce_integration_gates();--> statement-breakpoint
DROP FUNCTION integration_health_events();--> statement-breakpoint
DROP FUNCTION integration_inbound_target(uuid);--> statement-breakpoint
DELETE FROM change_requests WHERE action = 'integration:delete';--> statement-breakpoint
ALTER TABLE "change_requests" DROP CONSTRAINT "change_requests_action_check";--> statement-breakpoint
ALTER TABLE "change_requests" ADD CONSTRAINT "change_requests_action_check" CHECK ("change_requests"."action" in ('values', 'variable:update', 'variable:delete', 'environment:update', 'protection:remove', 'policy:grant', 'member:role', 'target:update', 'target:create', 'variable:restore', 'settings:time_zone', 'destination:delete'));--> statement-breakpoint
ALTER TABLE "environment_variable_audit" DROP CONSTRAINT "environment_variable_audit_resource_check";--> statement-breakpoint
ALTER TABLE "environment_variable_audit" ADD CONSTRAINT "environment_variable_audit_resource_check" CHECK ("environment_variable_audit"."resource_type" in ('variable', 'value', 'permission', 'environment', 'organization', 'session', 'settings', 'member', 'change_request', 'invitation', 'sync_target', 'drift', 'service_token', 'webhook', 'destination')) NOT VALID;
