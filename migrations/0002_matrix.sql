-- Trigram search on variable names (pg_trgm is a trusted extension: the database owner may create it).
CREATE EXTENSION IF NOT EXISTS pg_trgm;--> statement-breakpoint
ALTER TABLE "environment_variable_audit" DROP CONSTRAINT "environment_variable_audit_action_check";--> statement-breakpoint
ALTER TABLE "environment_variable_values" ADD COLUMN "validation_status" varchar(20);--> statement-breakpoint
ALTER TABLE "environment_variables" ADD COLUMN "purged_at" timestamp with time zone;--> statement-breakpoint
CREATE INDEX "idx_env_vars_name_prefix" ON "environment_variables" USING btree ("organization_id","name" varchar_pattern_ops);--> statement-breakpoint
CREATE INDEX "idx_env_vars_name_trgm" ON "environment_variables" USING gin ("name" gin_trgm_ops);--> statement-breakpoint
ALTER TABLE "environment_variable_audit" ADD CONSTRAINT "environment_variable_audit_action_check" CHECK ("environment_variable_audit"."action" in ('create', 'read', 'update', 'delete', 'rotate', 'decrypt', 'sync', 'restore', 'login', 'logout', 'export', 'import', 'promote'));--> statement-breakpoint
ALTER TABLE "environment_variable_values" ADD CONSTRAINT "environment_variable_values_validation_check" CHECK ("environment_variable_values"."validation_status" in ('passed', 'failed', 'warning'));