-- Usage and limits (issue 17, seed 001's resource usage). Per organization: variables, environments, members and
-- service tokens are counted live and refused past their limit by the database itself (statement-level triggers:
-- whichever path creates them — console, API, import, CLI login, invitation, SQL); machine API requests and webhook
-- deliveries are counted per day (UTC) and warned about, never refused (a read is never refused; an event is never
-- dropped); the values' storage is measured. Limits: the installation's defaults (one row: these, or
-- RINGBEARER_LIMITS, written at each start), and an organization's own where an operator set one on /ops.
CREATE TABLE installation_limits (
  id boolean PRIMARY KEY DEFAULT true CHECK (id),
  variables integer NOT NULL DEFAULT 100000 CHECK (variables > 0),
  environments integer NOT NULL DEFAULT 50 CHECK (environments > 0),
  members integer NOT NULL DEFAULT 500 CHECK (members > 0),
  service_tokens integer NOT NULL DEFAULT 1000 CHECK (service_tokens > 0),
  api_requests_per_day bigint NOT NULL DEFAULT 10000000 CHECK (api_requests_per_day > 0),
  webhook_deliveries_per_day bigint NOT NULL DEFAULT 1000000 CHECK (webhook_deliveries_per_day > 0),
  storage_bytes bigint NOT NULL DEFAULT 10737418240 CHECK (storage_bytes > 0),
  updated_at timestamptz NOT NULL DEFAULT now(),
  updated_by varchar(320) NOT NULL DEFAULT 'installation'
);
--> statement-breakpoint
INSERT INTO installation_limits DEFAULT VALUES;
--> statement-breakpoint
CREATE TABLE organization_limits (
  organization_id uuid PRIMARY KEY REFERENCES organizations(id) ON DELETE CASCADE,
  variables integer CHECK (variables > 0),
  environments integer CHECK (environments > 0),
  members integer CHECK (members > 0),
  service_tokens integer CHECK (service_tokens > 0),
  api_requests_per_day bigint CHECK (api_requests_per_day > 0),
  webhook_deliveries_per_day bigint CHECK (webhook_deliveries_per_day > 0),
  storage_bytes bigint CHECK (storage_bytes > 0),
  updated_at timestamptz NOT NULL DEFAULT now(),
  updated_by varchar(320) NOT NULL
);
--> statement-breakpoint
CREATE TABLE organization_usage_daily (
  organization_id uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
  day date NOT NULL,
  api_requests bigint NOT NULL DEFAULT 0,
  webhook_deliveries bigint NOT NULL DEFAULT 0,
  PRIMARY KEY (organization_id, day)
);
--> statement-breakpoint
-- The limit in force for one organization: its own, else the installation's.
CREATE FUNCTION org_limit(org uuid, what text) RETURNS bigint
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
  SELECT coalesce((to_jsonb(o) ->> what)::bigint, (to_jsonb(i) ->> what)::bigint)
    FROM installation_limits i LEFT JOIN organization_limits o ON o.organization_id = org
$$;
--> statement-breakpoint
-- What an organization uses now, against its limits: for its members (in its context) and operators.
CREATE FUNCTION organization_usage(org uuid, with_storage boolean DEFAULT true)
RETURNS TABLE (what text, used bigint, max bigint, own boolean)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
  IF NOT (org = app_org_id() OR app_is_operator() OR pg_has_role(session_user,
      (SELECT relowner FROM pg_class WHERE oid = 'public.organizations'::regclass), 'MEMBER')) THEN
    RAISE EXCEPTION 'organization_usage: members and operators only' USING ERRCODE = '42501';
  END IF;
  PERFORM set_config('ringbearer.usage_of', org::text, true);
  RETURN QUERY
  WITH u(what, used) AS (
    VALUES
      ('variables', (SELECT count(*) FROM environment_variables v WHERE v.organization_id = org AND v.deleted_at IS NULL)),
      ('environments', (SELECT count(*) FROM environments e WHERE e.organization_id = org)),
      ('members', (SELECT count(*) FROM memberships m WHERE m.organization_id = org)),
      ('service_tokens', (SELECT count(*) FROM service_tokens t WHERE t.organization_id = org
                            AND t.revoked_at IS NULL AND t.expires_at > now())),
      ('api_requests_per_day', (SELECT coalesce(sum(d.api_requests), 0)::bigint FROM organization_usage_daily d
                                  WHERE d.organization_id = org AND d.day = (now() AT TIME ZONE 'UTC')::date)),
      ('webhook_deliveries_per_day', (SELECT coalesce(sum(d.webhook_deliveries), 0)::bigint FROM organization_usage_daily d
                                  WHERE d.organization_id = org AND d.day = (now() AT TIME ZONE 'UTC')::date)),
      ('storage_bytes', CASE WHEN with_storage THEN
                          (SELECT coalesce(sum(octet_length(x.encrypted_value)), 0)::bigint FROM environment_variable_values x
                            WHERE x.organization_id = org)
                        + (SELECT coalesce(sum(octet_length(y.encrypted_value)), 0)::bigint FROM value_versions y
                            WHERE y.organization_id = org) END)
  )
  SELECT u.what, u.used, org_limit(org, u.what),
         EXISTS (SELECT 1 FROM organization_limits o WHERE o.organization_id = org AND (to_jsonb(o) ->> u.what) IS NOT NULL)
    FROM u;
  PERFORM set_config('ringbearer.usage_of', '', true);
END $$;
--> statement-breakpoint
-- Every organization's usage for the operator console (storage not counted: it reads every value): operators only.
CREATE FUNCTION ops_organizations_usage()
RETURNS TABLE (organization_id uuid, name text, slug text, what text, used bigint, max bigint, own boolean)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE o record;
BEGIN
  IF NOT app_is_operator() THEN
    RAISE EXCEPTION 'ops_organizations_usage: operators only' USING ERRCODE = '42501';
  END IF;
  PERFORM set_config('ringbearer.usage_listing', 'on', true);
  FOR o IN SELECT g.id, g.name, g.slug FROM organizations g WHERE NOT app_org_deleted(g.id) ORDER BY g.name LOOP
    RETURN QUERY SELECT o.id, o.name::text, o.slug::text, u.what, u.used, u.max, u.own
                   FROM organization_usage(o.id, false) u;
  END LOOP;
  PERFORM set_config('ringbearer.usage_listing', '', true);
END $$;
--> statement-breakpoint
-- Past the limit, the statement that created more is refused (RBL01, the limit in DETAIL as JSON); nothing it
-- did remains. Counted once per statement for each organization it touched.
CREATE FUNCTION enforce_count_limit() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  what text := TG_ARGV[0];
  r record;
  n bigint;
  cap bigint;
BEGIN
  FOR r IN SELECT DISTINCT organization_id FROM added LOOP
    PERFORM set_config('ringbearer.usage_of', r.organization_id::text, true);
    n := CASE what
      WHEN 'variables' THEN (SELECT count(*) FROM environment_variables v
                              WHERE v.organization_id = r.organization_id AND v.deleted_at IS NULL)
      WHEN 'environments' THEN (SELECT count(*) FROM environments e WHERE e.organization_id = r.organization_id)
      WHEN 'members' THEN (SELECT count(*) FROM memberships m WHERE m.organization_id = r.organization_id)
      WHEN 'service_tokens' THEN (SELECT count(*) FROM service_tokens t WHERE t.organization_id = r.organization_id
                                    AND t.revoked_at IS NULL AND t.expires_at > now())
    END;
    PERFORM set_config('ringbearer.usage_of', '', true);
    cap := org_limit(r.organization_id, what);
    IF n > cap THEN
      RAISE EXCEPTION 'limit reached: % of % %', n, cap, what USING ERRCODE = 'RBL01',
        DETAIL = jsonb_build_object('limit', what, 'max', cap)::text;
    END IF;
  END LOOP;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER environment_variables_limit AFTER INSERT ON environment_variables
  REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION enforce_count_limit('variables');
--> statement-breakpoint
-- A deleted variable brought back counts again: a statement that restores one is checked like a creation (and
-- only such a statement: an edit of an organization over a lowered limit is never refused).
CREATE FUNCTION enforce_variable_restore_limit() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  r record;
  n bigint;
  cap bigint;
BEGIN
  FOR r IN SELECT DISTINCT a.organization_id FROM after_rows a JOIN before_rows b ON b.id = a.id
            WHERE b.deleted_at IS NOT NULL AND a.deleted_at IS NULL LOOP
    PERFORM set_config('ringbearer.usage_of', r.organization_id::text, true);
    n := (SELECT count(*) FROM environment_variables v WHERE v.organization_id = r.organization_id AND v.deleted_at IS NULL);
    PERFORM set_config('ringbearer.usage_of', '', true);
    cap := org_limit(r.organization_id, 'variables');
    IF n > cap THEN
      RAISE EXCEPTION 'limit reached: % of % variables', n, cap USING ERRCODE = 'RBL01',
        DETAIL = jsonb_build_object('limit', 'variables', 'max', cap)::text;
    END IF;
  END LOOP;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER environment_variables_limit_restore AFTER UPDATE ON environment_variables
  REFERENCING OLD TABLE AS before_rows NEW TABLE AS after_rows
  FOR EACH STATEMENT EXECUTE FUNCTION enforce_variable_restore_limit();
--> statement-breakpoint
CREATE TRIGGER environments_limit AFTER INSERT ON environments
  REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION enforce_count_limit('environments');
--> statement-breakpoint
CREATE TRIGGER memberships_limit AFTER INSERT ON memberships
  REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION enforce_count_limit('members');
--> statement-breakpoint
CREATE TRIGGER service_tokens_limit AFTER INSERT ON service_tokens
  REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION enforce_count_limit('service_tokens');
--> statement-breakpoint
-- Daily counters: each machine API request counts its token's use (recordTokenUse); each webhook attempt is a
-- delivery. Written by these triggers only.
CREATE FUNCTION count_api_requests() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
  PERFORM set_config('ringbearer.usage_of', NEW.organization_id::text, true);
  INSERT INTO organization_usage_daily AS d (organization_id, day, api_requests)
  VALUES (NEW.organization_id, (now() AT TIME ZONE 'UTC')::date, NEW.use_count - OLD.use_count)
  ON CONFLICT (organization_id, day) DO UPDATE SET api_requests = d.api_requests + excluded.api_requests;
  PERFORM set_config('ringbearer.usage_of', '', true);
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER service_tokens_count_use AFTER UPDATE OF use_count ON service_tokens
  FOR EACH ROW WHEN (NEW.use_count > OLD.use_count) EXECUTE FUNCTION count_api_requests();
--> statement-breakpoint
CREATE FUNCTION count_webhook_deliveries() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE r record;
BEGIN
  FOR r IN SELECT organization_id, count(*) AS n FROM added GROUP BY organization_id LOOP
    PERFORM set_config('ringbearer.usage_of', r.organization_id::text, true);
    INSERT INTO organization_usage_daily AS d (organization_id, day, webhook_deliveries)
    VALUES (r.organization_id, (now() AT TIME ZONE 'UTC')::date, r.n)
    ON CONFLICT (organization_id, day) DO UPDATE SET webhook_deliveries = d.webhook_deliveries + excluded.webhook_deliveries;
  END LOOP;
  PERFORM set_config('ringbearer.usage_of', '', true);
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER webhook_attempts_count AFTER INSERT ON webhook_attempts
  REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION count_webhook_deliveries();
--> statement-breakpoint
-- Functions that read a statement's rows are planned for each statement's own rows (as 0023's are).
ALTER FUNCTION enforce_count_limit() SET plan_cache_mode = force_custom_plan;
--> statement-breakpoint
ALTER FUNCTION enforce_variable_restore_limit() SET plan_cache_mode = force_custom_plan;
--> statement-breakpoint
ALTER FUNCTION count_webhook_deliveries() SET plan_cache_mode = force_custom_plan;
--> statement-breakpoint
ALTER TABLE installation_limits ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE installation_limits FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE organization_limits ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE organization_limits FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE organization_usage_daily ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE organization_usage_daily FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
-- Limits are no secret: everyone reads the installation's, members their organization's; operators set them.
CREATE POLICY installation_limits_read ON installation_limits FOR SELECT USING (true);
--> statement-breakpoint
CREATE POLICY organization_limits_read ON organization_limits FOR SELECT
  USING (organization_id = app_org_id() OR app_is_operator());
--> statement-breakpoint
CREATE POLICY organization_limits_operators ON organization_limits FOR ALL USING (app_is_operator())
  WITH CHECK (app_is_operator());
--> statement-breakpoint
CREATE POLICY organization_usage_daily_read ON organization_usage_daily FOR SELECT
  USING (organization_id = app_org_id() OR app_is_operator());
--> statement-breakpoint
DO $$
DECLARE
  app text := coalesce(nullif(current_setting('ringbearer.app_role', true), ''), 'ringbearer_app');
  t text;
BEGIN
  -- The counting functions (definer) see the one organization they count, whatever the caller's context.
  FOREACH t IN ARRAY ARRAY['environment_variables', 'environments', 'memberships', 'service_tokens',
                           'environment_variable_values', 'value_versions', 'organization_usage_daily'] LOOP
    EXECUTE format('CREATE POLICY %I ON %I FOR SELECT TO %I USING (organization_id::text = current_setting(''ringbearer.usage_of'', true))',
                   t || '_usage_count', t, current_user);
  END LOOP;
  EXECUTE format('CREATE POLICY organization_usage_daily_counter ON organization_usage_daily FOR ALL TO %I
                  USING (organization_id::text = current_setting(''ringbearer.usage_of'', true))
                  WITH CHECK (organization_id::text = current_setting(''ringbearer.usage_of'', true))', current_user);
  -- The installation's defaults come from the configuration (RINGBEARER_LIMITS), written by the owner at start.
  EXECUTE format('CREATE POLICY installation_limits_configuration ON installation_limits FOR UPDATE TO %I USING (true) WITH CHECK (true)', current_user);
  EXECUTE format('CREATE POLICY organizations_usage_listing ON organizations FOR SELECT TO %I USING (current_setting(''ringbearer.usage_listing'', true) = ''on'')', current_user);
  -- The limits themselves, read by org_limit (definer) for any organization.
  EXECUTE format('CREATE POLICY organization_limits_definer_read ON organization_limits FOR SELECT TO %I USING (true)', current_user);
  -- Backups (as the owner) and the purge of a deleted organization (0051's way past row-level security).
  FOREACH t IN ARRAY ARRAY['installation_limits', 'organization_limits', 'organization_usage_daily'] LOOP
    EXECUTE format('CREATE POLICY %I ON %I FOR SELECT TO %I USING (session_user = current_user)',
                   t || '_owner_backup_read', t, current_user);
  END LOOP;
  FOREACH t IN ARRAY ARRAY['organization_limits', 'organization_usage_daily'] LOOP
    EXECUTE format('CREATE POLICY %I ON %I FOR SELECT TO %I USING (current_setting(''session_replication_role'') = ''replica'' AND organization_id::text = current_setting(''ringbearer.purge_organization'', true))',
                   t || '_purge_read', t, current_user);
    EXECUTE format('CREATE POLICY %I ON %I FOR DELETE TO %I USING (current_setting(''session_replication_role'') = ''replica'' AND organization_id::text = current_setting(''ringbearer.purge_organization'', true))',
                   t || '_purge_delete', t, current_user);
  END LOOP;
  REVOKE ALL ON installation_limits, organization_limits, organization_usage_daily FROM PUBLIC;
  EXECUTE format('GRANT SELECT ON installation_limits TO %I', app);
  EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON organization_limits TO %I', app);
  EXECUTE format('GRANT SELECT ON organization_usage_daily TO %I', app);
  REVOKE ALL ON FUNCTION org_limit(uuid, text), organization_usage(uuid, boolean), ops_organizations_usage() FROM PUBLIC;
  EXECUTE format('GRANT EXECUTE ON FUNCTION org_limit(uuid, text), organization_usage(uuid, boolean), ops_organizations_usage() TO %I', app);
END $$;
