-- Undoes 0015_jobs: the job contexts, and pg-boss's schema with every queued, running and finished job in it.
DROP FUNCTION job_contexts();
DROP POLICY memberships_job_contexts ON memberships;
DROP SCHEMA pgboss CASCADE;
