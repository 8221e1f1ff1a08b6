-- job_contexts() names, for every organization, the member a background job acts as: enough for SQL run as the
-- app role (an injection anywhere) to enumerate organizations and their owners. It now answers only the job
-- runner, which proves itself with a key derived from the master key (HMAC, held in the app's memory only);
-- the database keeps the key's SHA-256, written by the migrator, in a table the app role cannot read.
CREATE TABLE job_runner_keys (
  id smallint PRIMARY KEY CHECK (id = 1),
  verifier varchar(64) NOT NULL,
  registered_at timestamptz NOT NULL DEFAULT now()
);
--> statement-breakpoint
REVOKE ALL ON job_runner_keys FROM PUBLIC;
--> statement-breakpoint
DROP FUNCTION job_contexts();
--> statement-breakpoint
CREATE FUNCTION job_contexts(proof text) RETURNS TABLE (organization_id uuid, user_id uuid)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
  IF proof IS NULL OR NOT EXISTS (SELECT 1 FROM job_runner_keys k
      WHERE k.verifier = encode(sha256(convert_to(proof, 'UTF8')), 'hex')) THEN
    RAISE EXCEPTION 'job_contexts: only the job runner may list job contexts' USING ERRCODE = '42501';
  END IF;
  RETURN QUERY
    SELECT DISTINCT ON (m.organization_id) m.organization_id, m.user_id
      FROM memberships m JOIN users u ON u.id = m.user_id
     WHERE m.role IN ('owner', 'admin') AND u.disabled_at IS NULL
     ORDER BY m.organization_id, m.role = 'owner' DESC, m.created_at, m.user_id;
END $$;
--> statement-breakpoint
DO $$
DECLARE app text := coalesce(nullif(current_setting('ringbearer.app_role', true), ''), 'ringbearer_app');
BEGIN
  EXECUTE 'REVOKE ALL ON FUNCTION job_contexts(text) FROM PUBLIC';
  EXECUTE format('GRANT EXECUTE ON FUNCTION job_contexts(text) TO %I', app);
END $$;
