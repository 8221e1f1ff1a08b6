-- Undoes 0002_matrix. Audit rows are append-only, so the older action list is restored NOT VALID (rows
-- already written with import/promote stay). pg_trgm stays installed: other objects may use it, and it holds no data.
ALTER TABLE "environment_variable_values" DROP CONSTRAINT IF EXISTS "environment_variable_values_validation_check";
DROP INDEX IF EXISTS "idx_env_vars_name_trgm";
DROP INDEX IF EXISTS "idx_env_vars_name_prefix";
ALTER TABLE "environment_variables" DROP COLUMN IF EXISTS "purged_at";
ALTER TABLE "environment_variable_values" DROP COLUMN IF EXISTS "validation_status";
ALTER TABLE "environment_variable_audit" DROP CONSTRAINT IF EXISTS "environment_variable_audit_action_check";
ALTER TABLE "environment_variable_audit" ADD CONSTRAINT "environment_variable_audit_action_check" CHECK ("environment_variable_audit"."action" in ('create', 'read', 'update', 'delete', 'rotate', 'decrypt', 'sync', 'restore', 'login', 'logout', 'export')) NOT VALID;
