-- Undoes 0051_organization_deletion: organizations can no longer be deleted (deleted ones come back).
DO $$
DECLARE r record;
BEGIN
  FOR r IN SELECT policyname, tablename FROM pg_policies
            WHERE schemaname = 'public' AND (policyname LIKE '%\_purge\_read' OR policyname LIKE '%\_purge\_delete') LOOP
    EXECUTE format('DROP POLICY %I ON %I', r.policyname, r.tablename);
  END LOOP;
END $$;
DROP FUNCTION purge_organization(text, uuid);
DROP FUNCTION organizations_due_for_purge(text);
DROP FUNCTION restore_organization(uuid);
DROP FUNCTION my_deleted_organizations();
DROP FUNCTION delete_organization(text);
DROP FUNCTION app_org_gate(uuid);
DROP FUNCTION app_org_deleted(uuid);
CREATE OR REPLACE FUNCTION job_contexts(proof text) RETURNS TABLE (organization_id uuid, user_id uuid)
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
DROP TABLE organization_deletions;
