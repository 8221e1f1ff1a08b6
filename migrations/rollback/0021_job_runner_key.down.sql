-- Undoes 0021_job_runner_key: job_contexts() answers the app role again, without a proof.
DROP FUNCTION job_contexts(text);
DROP TABLE job_runner_keys;
CREATE FUNCTION job_contexts() RETURNS TABLE (organization_id uuid, user_id uuid)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
  SELECT DISTINCT ON (m.organization_id) m.organization_id, m.user_id
    FROM memberships m JOIN users u ON u.id = m.user_id
   WHERE m.role IN ('owner', 'admin') AND u.disabled_at IS NULL
   ORDER BY m.organization_id, m.role = 'owner' DESC, m.created_at, m.user_id
$$;
DO $$
DECLARE app text := coalesce(nullif(current_setting('ringbearer.app_role', true), ''), 'ringbearer_app');
BEGIN
  EXECUTE 'REVOKE ALL ON FUNCTION job_contexts() FROM PUBLIC';
  EXECUTE format('GRANT EXECUTE ON FUNCTION job_contexts() TO %I', app);
END $$;
