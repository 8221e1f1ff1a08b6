-- Background jobs (brief, decision 11): pg-boss keeps its queue in its own schema, `pgboss`, which pg-boss itself
-- creates and migrates as the owner at migrate time (0026, db/job-schema.ts); the app role runs it with its
-- migrations off and owns nothing there (server/jobs.ts).
--
-- Until issue 13 this migration also carried a hand-made copy of pg-boss 12.38.0's construction SQL (its schema
-- version 46) and the app role's grants on it. A database migrated then keeps that schema: pg-boss adopts it
-- (its version table is there) and migrates it when a newer pg-boss needs to; 0026 adds the default privileges.
--
-- Who a job acts as. Jobs run in an organization's context so RLS applies as for any request, as one
-- of its owners (else an admin), an enabled account. memberships is RLS-forced for its owner too, so, as for
-- invitations (0012), the owner role gets a SELECT-only policy: job_contexts() runs as the owner.
DO $$
BEGIN
  EXECUTE format('CREATE POLICY memberships_job_contexts ON memberships FOR SELECT TO %I USING (true)', current_user);
END $$;
--> statement-breakpoint
-- One row per organization: its id and the user a job acts as — nothing else (no role, email or name).
-- pg_temp last: a temporary table of the caller's cannot stand in for memberships or users.
CREATE FUNCTION job_contexts() RETURNS TABLE (organization_id uuid, user_id uuid)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
  SELECT DISTINCT ON (m.organization_id) m.organization_id, m.user_id
    FROM memberships m JOIN users u ON u.id = m.user_id
   WHERE m.role IN ('owner', 'admin') AND u.disabled_at IS NULL
   ORDER BY m.organization_id, m.role = 'owner' DESC, m.created_at, m.user_id
$$;
--> statement-breakpoint
DO $$
DECLARE app text := coalesce(nullif(current_setting('ringbearer.app_role', true), ''), 'ringbearer_app');
BEGIN
  EXECUTE 'REVOKE ALL ON FUNCTION job_contexts() FROM PUBLIC';
  EXECUTE format('GRANT EXECUTE ON FUNCTION job_contexts() TO %I', app);
END $$;
