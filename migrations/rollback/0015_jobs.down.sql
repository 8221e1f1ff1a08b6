-- Undoes 0015_jobs: the job contexts, and pg-boss's schema (made by pg-boss at migrate time, or by 0015 itself
-- in a database migrated before issue 13) with every queued, running and finished job in it.
DROP FUNCTION job_contexts();
DROP POLICY memberships_job_contexts ON memberships;
DROP SCHEMA IF EXISTS pgboss CASCADE;
