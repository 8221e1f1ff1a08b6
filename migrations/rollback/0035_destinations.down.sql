-- Undoes 0035_destinations: destinations, their change requests, audit rows and client tokens go.
DROP TABLE "destinations";--> statement-breakpoint
DROP FUNCTION enforce_destination_gates();--> statement-breakpoint
-- RLS is forced on change_requests: its owner sees no row through it, so it is lifted for the delete.
ALTER TABLE change_requests NO FORCE ROW LEVEL SECURITY;--> statement-breakpoint
DELETE FROM change_requests WHERE action = 'destination:delete';--> statement-breakpoint
ALTER TABLE change_requests FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "change_requests" DROP CONSTRAINT "change_requests_action_check";--> statement-breakpoint
ALTER TABLE "change_requests" ADD CONSTRAINT "change_requests_action_check" CHECK ("change_requests"."action" in ('values', 'variable:update', 'variable:delete', 'environment:update', 'protection:remove', 'policy:grant', 'member:role', 'target:update', 'target:create', 'variable:restore', 'settings:time_zone'));--> statement-breakpoint
ALTER TABLE "environment_variable_audit" DROP CONSTRAINT "environment_variable_audit_resource_check";--> statement-breakpoint
ALTER TABLE "environment_variable_audit" ADD CONSTRAINT "environment_variable_audit_resource_check" CHECK ("environment_variable_audit"."resource_type" in ('variable', 'value', 'permission', 'environment', 'organization', 'session', 'settings', 'member', 'change_request', 'invitation', 'sync_target', 'drift', 'service_token', 'webhook')) NOT VALID;--> statement-breakpoint
-- RLS is forced on service_tokens: its owner sees no row through it, so it is lifted for the delete.
ALTER TABLE service_tokens NO FORCE ROW LEVEL SECURITY;--> statement-breakpoint
DELETE FROM service_tokens WHERE access = 'client';--> statement-breakpoint
ALTER TABLE service_tokens FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "service_tokens" DROP CONSTRAINT "service_tokens_access_check";--> statement-breakpoint
ALTER TABLE "service_tokens" ADD CONSTRAINT "service_tokens_access_check" CHECK ("service_tokens"."access" in ('read', 'read-write'));
