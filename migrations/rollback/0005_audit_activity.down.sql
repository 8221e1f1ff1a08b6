DROP INDEX IF EXISTS "idx_env_var_audit_activity";
