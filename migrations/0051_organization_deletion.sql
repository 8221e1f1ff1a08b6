-- Deleting an organization (issue 17): an owner deletes it, and from that moment nothing of it can be read or
-- written by anyone — every transaction that names it fails in setContext's own statement (app_org_gate, RBO01,
-- "not found"), job_contexts skips it, and its members' lists leave it out. For 30 days an owner may restore it;
-- then the purge job removes every row of it, in every table (purge_organization, the job runner's proof).
--
-- The deletion is kept outside the organization's rows, in a table the app role cannot read at all; the
-- SECURITY DEFINER functions below are the only way in.
CREATE TABLE organization_deletions (
  organization_id uuid PRIMARY KEY REFERENCES organizations(id) ON DELETE CASCADE,
  deleted_at timestamptz NOT NULL DEFAULT now(),
  deleted_by uuid REFERENCES users(id) ON DELETE SET NULL,
  purge_after timestamptz NOT NULL
);
--> statement-breakpoint
REVOKE ALL ON organization_deletions FROM PUBLIC;
--> statement-breakpoint
CREATE FUNCTION app_org_deleted(org uuid) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
  SELECT EXISTS (SELECT 1 FROM organization_deletions d WHERE d.organization_id = org)
$$;
--> statement-breakpoint
-- Called in the statement that sets each transaction's context (db/context.ts setContext).
CREATE FUNCTION app_org_gate(org uuid) RETURNS boolean
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
  IF org IS NOT NULL AND EXISTS (SELECT 1 FROM organization_deletions d WHERE d.organization_id = org) THEN
    RAISE EXCEPTION 'organization_deleted' USING ERRCODE = 'RBO01';
  END IF;
  RETURN true;
END $$;
--> statement-breakpoint
-- An owner, in the organization's context, with its slug typed again. Returns when it will be purged.
CREATE FUNCTION delete_organization(confirm_slug text) RETURNS timestamptz
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  org uuid := app_org_id();
  purge timestamptz := now() + interval '30 days';
BEGIN
  IF org IS NULL OR app_role() IS DISTINCT FROM 'owner' THEN
    RAISE EXCEPTION 'delete_organization: only an owner deletes an organization' USING ERRCODE = '42501';
  END IF;
  IF NOT EXISTS (SELECT 1 FROM organizations o WHERE o.id = org AND o.slug = confirm_slug) THEN
    RAISE EXCEPTION 'delete_organization: the name typed is not the organization''s' USING ERRCODE = '22023';
  END IF;
  INSERT INTO organization_deletions (organization_id, deleted_by, purge_after) VALUES (org, app_user_id(), purge);
  RETURN purge;
END $$;
--> statement-breakpoint
-- The organizations the caller owns that are deleted and not yet purged (their "Deleted organizations" list).
CREATE FUNCTION my_deleted_organizations()
RETURNS TABLE (id uuid, slug text, name text, deleted_at timestamptz, purge_after timestamptz)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
  SELECT o.id, o.slug::text, o.name::text, d.deleted_at, d.purge_after
    FROM organization_deletions d
    JOIN organizations o ON o.id = d.organization_id
    JOIN memberships m ON m.organization_id = d.organization_id
   WHERE m.user_id = app_user_id() AND m.role = 'owner' AND d.purge_after > now()
   ORDER BY d.deleted_at DESC
$$;
--> statement-breakpoint
-- An owner restores it within the grace period, from their own context (in no organization).
CREATE FUNCTION restore_organization(org uuid) RETURNS boolean
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM memberships m WHERE m.organization_id = org AND m.user_id = app_user_id()
                  AND m.role = 'owner') THEN
    RAISE EXCEPTION 'restore_organization: only an owner restores an organization' USING ERRCODE = '42501';
  END IF;
  DELETE FROM organization_deletions d WHERE d.organization_id = org AND d.purge_after > now();
  RETURN FOUND;
END $$;
--> statement-breakpoint
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
       AND NOT EXISTS (SELECT 1 FROM organization_deletions d WHERE d.organization_id = m.organization_id)
     ORDER BY m.organization_id, m.role = 'owner' DESC, m.created_at, m.user_id;
END $$;
--> statement-breakpoint
-- Organizations whose 30 days are over (the purge job, the job runner's proof).
CREATE FUNCTION organizations_due_for_purge(proof text) RETURNS SETOF uuid
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
  IF proof IS NULL OR NOT EXISTS (SELECT 1 FROM job_runner_keys k
      WHERE k.verifier = encode(sha256(convert_to(proof, 'UTF8')), 'hex')) THEN
    RAISE EXCEPTION 'organizations_due_for_purge: only the job runner' USING ERRCODE = '42501';
  END IF;
  RETURN QUERY SELECT d.organization_id FROM organization_deletions d WHERE d.purge_after <= now()
                ORDER BY d.purge_after;
END $$;
--> statement-breakpoint
-- Removes every row of an organization whose 30 days are over, in every table that has an organization_id,
-- then the organization itself, in one transaction. Triggers are off for it (session_replication_role: the
-- append-only audit, the wedding lock and the write guards would refuse, and foreign keys would cascade one
-- row at a time); the owner may set it (GRANT SET ON PARAMETER, docs/operations.md). Row-level security still
-- applies: the purge policies below admit the owner to the rows of the organization being purged only.
-- Returns the rows removed per table.
CREATE FUNCTION purge_organization(proof text, org uuid) RETURNS jsonb
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  t text;
  n bigint;
  removed jsonb := '{}';
BEGIN
  IF proof IS NULL OR NOT EXISTS (SELECT 1 FROM job_runner_keys k
      WHERE k.verifier = encode(sha256(convert_to(proof, 'UTF8')), 'hex')) THEN
    RAISE EXCEPTION 'purge_organization: only the job runner purges' USING ERRCODE = '42501';
  END IF;
  IF NOT EXISTS (SELECT 1 FROM organization_deletions d WHERE d.organization_id = org AND d.purge_after <= now()) THEN
    RAISE EXCEPTION 'purge_organization: not deleted, or still within its 30 days' USING ERRCODE = '22023';
  END IF;
  PERFORM set_config('session_replication_role', 'replica', true);
  PERFORM set_config('ringbearer.purge_organization', org::text, true);
  FOR t IN SELECT c.table_name FROM information_schema.columns c
             JOIN information_schema.tables tb ON tb.table_schema = c.table_schema AND tb.table_name = c.table_name
            WHERE c.table_schema = 'public' AND c.column_name = 'organization_id' AND tb.table_type = 'BASE TABLE'
            ORDER BY c.table_name LOOP
    EXECUTE format('DELETE FROM %I WHERE organization_id = $1', t) USING org;
    GET DIAGNOSTICS n = ROW_COUNT;
    IF n > 0 THEN removed := removed || jsonb_build_object(t, n); END IF;
  END LOOP;
  DELETE FROM organizations o WHERE o.id = org;
  PERFORM set_config('ringbearer.purge_organization', '', true);
  PERFORM set_config('session_replication_role', 'origin', true);
  RETURN removed;
END $$;
--> statement-breakpoint
DO $$
DECLARE
  app text := coalesce(nullif(current_setting('ringbearer.app_role', true), ''), 'ringbearer_app');
  t text;
BEGIN
  -- The purge's way past row-level security: the owner, with triggers off (which only purge_organization
  -- does: the app role may not set session_replication_role), for the organization being purged, only.
  FOR t IN SELECT c.table_name FROM information_schema.columns c
             JOIN information_schema.tables tb ON tb.table_schema = c.table_schema AND tb.table_name = c.table_name
            WHERE c.table_schema = 'public' AND c.column_name = 'organization_id' AND tb.table_type = 'BASE TABLE' LOOP
    EXECUTE format('CREATE POLICY %I ON %I FOR SELECT TO %I USING (current_setting(''session_replication_role'') = ''replica'' AND organization_id::text = current_setting(''ringbearer.purge_organization'', true))',
                   t || '_purge_read', t, current_user);
    EXECUTE format('CREATE POLICY %I ON %I FOR DELETE TO %I USING (current_setting(''session_replication_role'') = ''replica'' AND organization_id::text = current_setting(''ringbearer.purge_organization'', true))',
                   t || '_purge_delete', t, current_user);
  END LOOP;
  EXECUTE format('CREATE POLICY organizations_purge_read ON organizations FOR SELECT TO %I USING (current_setting(''session_replication_role'') = ''replica'' AND id::text = current_setting(''ringbearer.purge_organization'', true))', current_user);
  EXECUTE format('CREATE POLICY organizations_purge_delete ON organizations FOR DELETE TO %I USING (current_setting(''session_replication_role'') = ''replica'' AND id::text = current_setting(''ringbearer.purge_organization'', true))', current_user);
  REVOKE ALL ON FUNCTION app_org_deleted(uuid), app_org_gate(uuid), delete_organization(text),
    my_deleted_organizations(), restore_organization(uuid), organizations_due_for_purge(text),
    purge_organization(text, uuid) FROM PUBLIC;
  EXECUTE format('GRANT EXECUTE ON FUNCTION app_org_deleted(uuid), app_org_gate(uuid), delete_organization(text),
    my_deleted_organizations(), restore_organization(uuid), organizations_due_for_purge(text),
    purge_organization(text, uuid) TO %I', app);
END $$;
