-- What a read of an organization's values returns, as a number that changes with it (issue 14, fast reads): one
-- bump per statement that writes values or variables (names, tags, deletion), by trigger, never by the app. The
-- machine API caches a read per instance under this number, so a cached answer is never served after a change.
-- Tenant table: RLS enabled and forced; the app role reads its organization's row; the triggers write as owner.
CREATE TABLE "organization_value_versions" (
	"organization_id" uuid PRIMARY KEY NOT NULL,
	"version" bigint DEFAULT 0 NOT NULL
);
--> statement-breakpoint
ALTER TABLE "organization_value_versions" ADD CONSTRAINT "organization_value_versions_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;
--> statement-breakpoint
DO $$
DECLARE app text := coalesce(nullif(current_setting('ringbearer.app_role', true), ''), 'ringbearer_app');
BEGIN
  ALTER TABLE organization_value_versions ENABLE ROW LEVEL SECURITY;
  ALTER TABLE organization_value_versions FORCE ROW LEVEL SECURITY;
  CREATE POLICY organization_value_versions_read ON organization_value_versions FOR SELECT
    USING (organization_id = (SELECT app_org_id()));
  -- The bump triggers write as the owner (SECURITY DEFINER; an upsert reads the row it updates).
  EXECUTE format('CREATE POLICY organization_value_versions_bump ON organization_value_versions FOR ALL TO %I USING (true) WITH CHECK (true)', current_user);
  -- A backup reads every row as the owner logged in itself (0023).
  EXECUTE format('CREATE POLICY organization_value_versions_owner_backup_read ON organization_value_versions FOR SELECT TO %I USING (session_user = current_user)', current_user);
  REVOKE ALL ON organization_value_versions FROM PUBLIC;
  EXECUTE format('GRANT SELECT ON organization_value_versions TO %I', app);
END $$;
--> statement-breakpoint
CREATE FUNCTION bump_value_version() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER
  SET search_path = public, pg_temp SET plan_cache_mode = force_custom_plan AS $$
BEGIN
  INSERT INTO organization_value_versions AS v (organization_id, version)
    SELECT DISTINCT organization_id, 1 FROM changed
  ON CONFLICT (organization_id) DO UPDATE SET version = v.version + 1;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER environment_variable_values_version_insert AFTER INSERT ON environment_variable_values
  REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION bump_value_version();
--> statement-breakpoint
CREATE TRIGGER environment_variable_values_version_update AFTER UPDATE ON environment_variable_values
  REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION bump_value_version();
--> statement-breakpoint
CREATE TRIGGER environment_variable_values_version_delete AFTER DELETE ON environment_variable_values
  REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION bump_value_version();
--> statement-breakpoint
CREATE TRIGGER environment_variables_version_insert AFTER INSERT ON environment_variables
  REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION bump_value_version();
--> statement-breakpoint
CREATE TRIGGER environment_variables_version_update AFTER UPDATE ON environment_variables
  REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION bump_value_version();
--> statement-breakpoint
CREATE TRIGGER environment_variables_version_delete AFTER DELETE ON environment_variables
  REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION bump_value_version();
--> statement-breakpoint
-- The presented token now also tells its creator's role in its organization today (NULL once they have left), so a
-- machine request learns who it acts as in the one lookup it makes before its transaction.
DROP FUNCTION service_token_by_hash(text);
--> statement-breakpoint
CREATE FUNCTION service_token_by_hash(hash text)
RETURNS TABLE (id uuid, organization_id uuid, environment_ids uuid[], access varchar, name_prefix varchar,
               tag varchar, allowed_cidrs text[], expires_at timestamptz, revoked_at timestamptz, created_by uuid,
               creator_role varchar)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
  SELECT t.id, t.organization_id, t.environment_ids, t.access, t.name_prefix, t.tag, t.allowed_cidrs, t.expires_at,
         t.revoked_at, t.created_by,
         (SELECT m.role FROM memberships m WHERE m.user_id = t.created_by AND m.organization_id = t.organization_id)
    FROM service_tokens t WHERE t.token_hash = hash
$$;
--> statement-breakpoint
DO $$
DECLARE app text := coalesce(nullif(current_setting('ringbearer.app_role', true), ''), 'ringbearer_app');
BEGIN
  EXECUTE 'REVOKE ALL ON FUNCTION service_token_by_hash(text) FROM PUBLIC';
  EXECUTE format('GRANT EXECUTE ON FUNCTION service_token_by_hash(text) TO %I', app);
END $$;
--> statement-breakpoint
-- Rows that only record a read (a service token's reads, lists and whoami) no longer wake the console's live
-- updates: a pipeline reading every few seconds kept every open console refreshing (and, the browser debouncing,
-- never settled). They are in the trail as before; the audit explorer shows them on its next load.
CREATE OR REPLACE FUNCTION notify_audit_rows() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER
  SET search_path = public, pg_temp SET plan_cache_mode = force_custom_plan AS $$
DECLARE r record;
BEGIN
  FOR r IN SELECT organization_id, count(*) AS n, bool_or(emergency) AS emergency
             FROM added WHERE NOT (action = 'read' AND resource_type = 'service_token')
            GROUP BY organization_id LOOP
    PERFORM pg_notify('ringbearer_changes', json_build_object('org', r.organization_id, 'kind', 'audit',
      'count', r.n, 'emergency', r.emergency)::text);
  END LOOP;
  RETURN NULL;
END $$;
