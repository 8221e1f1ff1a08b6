-- Undoes 0026_job_schema_ownership: the app role's default privileges in pgboss. The schema and its jobs stay
-- (at 0025 the app expects the schema 0015 made; 0015's rollback drops it), with the grants on what exists.
DO $$
DECLARE app text := coalesce(nullif(current_setting('ringbearer.app_role', true), ''), 'ringbearer_app');
BEGIN
  EXECUTE format('ALTER DEFAULT PRIVILEGES FOR ROLE %I IN SCHEMA pgboss REVOKE SELECT, INSERT, UPDATE, DELETE ON TABLES FROM %I', current_user, app);
  EXECUTE format('ALTER DEFAULT PRIVILEGES FOR ROLE %I IN SCHEMA pgboss REVOKE USAGE, SELECT ON SEQUENCES FROM %I', current_user, app);
  EXECUTE format('ALTER DEFAULT PRIVILEGES FOR ROLE %I IN SCHEMA pgboss REVOKE EXECUTE ON FUNCTIONS FROM %I', current_user, app);
END $$;
