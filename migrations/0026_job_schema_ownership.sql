-- pg-boss owns its schema (issue 13): the copy of pg-boss 12.38.0's construction SQL that 0015 carried is gone
-- from 0015, and `migrate` has pg-boss itself create or migrate `pgboss` as the owner, after these migrations
-- (db/job-schema.ts). A database migrated before keeps the schema 0015 made: pg-boss finds its version table
-- and migrates it when a newer pg-boss needs it.
--
-- Here the owner makes the (empty, on a fresh database) schema its own and gives the app role default
-- privileges in it, so every table, sequence and function pg-boss creates there — now or in a later version's
-- migration — is usable by the app role at once; the same grants on what exists are re-applied after every
-- pg-boss migration. The app role may not create anything in the schema; PUBLIC may not use it.
CREATE SCHEMA IF NOT EXISTS pgboss;
--> statement-breakpoint
DO $$
DECLARE app text := coalesce(nullif(current_setting('ringbearer.app_role', true), ''), 'ringbearer_app');
BEGIN
  EXECUTE 'REVOKE ALL ON SCHEMA pgboss FROM PUBLIC';
  EXECUTE 'REVOKE ALL ON ALL TABLES IN SCHEMA pgboss FROM PUBLIC';
  EXECUTE 'REVOKE ALL ON ALL FUNCTIONS IN SCHEMA pgboss FROM PUBLIC';
  EXECUTE format('GRANT USAGE ON SCHEMA pgboss TO %I', app);
  EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA pgboss TO %I', app);
  EXECUTE format('GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA pgboss TO %I', app);
  EXECUTE format('GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA pgboss TO %I', app);
  EXECUTE format('ALTER DEFAULT PRIVILEGES FOR ROLE %I IN SCHEMA pgboss GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO %I', current_user, app);
  EXECUTE format('ALTER DEFAULT PRIVILEGES FOR ROLE %I IN SCHEMA pgboss GRANT USAGE, SELECT ON SEQUENCES TO %I', current_user, app);
  EXECUTE format('ALTER DEFAULT PRIVILEGES FOR ROLE %I IN SCHEMA pgboss GRANT EXECUTE ON FUNCTIONS TO %I', current_user, app);
END $$;
