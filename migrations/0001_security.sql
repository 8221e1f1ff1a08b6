-- Ringbearer security layer: request context, wedding hours, permissions, RLS, value history and audit,
-- the append-only hash chain, and grants for the app role. Hand-written (drizzle-kit cannot express it).
-- The app role's name comes from the migrator: set_config('ringbearer.app_role', <name>, true).

-- Reference data: the four classifications of seed 000.
INSERT INTO security_classifications (name, display_name, description, audit_level, change_approval_required, wedding_day_restrictions) VALUES
  ('public', 'Public', 'Safe to show anyone, e.g. publishable keys.', 'basic', false, false),
  ('internal', 'Internal', 'Not secret, but not for outsiders.', 'detailed', false, false),
  ('confidential', 'Confidential', 'Secrets: API keys, tokens, passwords.', 'comprehensive', true, false),
  ('wedding_day_critical', 'Wedding-day critical', 'A wrong value breaks weddings in progress.', 'real_time', true, true);
--> statement-breakpoint

-- Request context: set per transaction by the app with set_config(..., true). Missing → NULL → no rows.
CREATE FUNCTION app_user_id() RETURNS uuid LANGUAGE sql STABLE AS
$$ SELECT nullif(current_setting('app.user_id', true), '')::uuid $$;
--> statement-breakpoint
CREATE FUNCTION app_org_id() RETURNS uuid LANGUAGE sql STABLE AS
$$ SELECT nullif(current_setting('app.organization_id', true), '')::uuid $$;
--> statement-breakpoint
CREATE FUNCTION app_emergency_session_id() RETURNS uuid LANGUAGE sql STABLE AS
$$ SELECT nullif(current_setting('app.emergency_session_id', true), '')::uuid $$;
--> statement-breakpoint
CREATE FUNCTION app_role() RETURNS text LANGUAGE sql STABLE AS
$$ SELECT role FROM memberships WHERE organization_id = app_org_id() AND user_id = app_user_id() $$;
--> statement-breakpoint

-- Wedding hours. Returns when the lock that covers `at` ends (NULL when not locked): the latest end among the
-- organization's weekly windows (in its time zone, ISO days) and blackout periods that cover `at`.
CREATE FUNCTION wedding_lock_until(org uuid, at timestamptz DEFAULT now()) RETURNS timestamptz
LANGUAGE sql STABLE AS $$
  WITH o AS (SELECT time_zone FROM organizations WHERE id = org),
  l AS (SELECT (at AT TIME ZONE o.time_zone) AS local, o.time_zone FROM o),
  w AS (
    SELECT date_trunc('week', l.local) AS week_start, l.local, l.time_zone,
           (pw.start_day - 1) * 86400 + extract(epoch FROM pw.start_time) AS s,
           (pw.end_day - 1) * 86400 + extract(epoch FROM pw.end_time) AS e,
           extract(epoch FROM l.local - date_trunc('week', l.local)) AS now_s
    FROM protection_windows pw, l WHERE pw.organization_id = org
  ),
  ends AS (
    SELECT (week_start + make_interval(secs => e)) AT TIME ZONE time_zone AS until
      FROM w WHERE s <= e AND now_s >= s AND now_s < e
    UNION ALL
    SELECT (week_start + interval '7 days' + make_interval(secs => e)) AT TIME ZONE time_zone
      FROM w WHERE s > e AND now_s >= s
    UNION ALL
    SELECT (week_start + make_interval(secs => e)) AT TIME ZONE time_zone
      FROM w WHERE s > e AND now_s < e
    UNION ALL
    SELECT ends_at FROM protection_blackouts WHERE organization_id = org AND starts_at <= at AND ends_at > at
  )
  SELECT max(until) FROM ends
$$;
--> statement-breakpoint
CREATE FUNCTION is_wedding_hours(org uuid, at timestamptz DEFAULT now()) RETURNS boolean
LANGUAGE sql STABLE AS $$ SELECT wedding_lock_until(org, at) IS NOT NULL $$;
--> statement-breakpoint
-- The seed's zero-argument form, for the organization of the current request.
CREATE FUNCTION is_wedding_hours() RETURNS boolean
LANGUAGE sql STABLE AS $$ SELECT coalesce(is_wedding_hours(app_org_id(), now()), false) $$;
--> statement-breakpoint
CREATE FUNCTION app_env_locked(env uuid) RETURNS boolean LANGUAGE sql STABLE AS $$
  SELECT coalesce((SELECT e.wedding_day_protection AND is_wedding_hours(e.organization_id, now())
                   FROM environments e WHERE e.id = env), false)
$$;
--> statement-breakpoint
CREATE FUNCTION app_emergency_ok(env uuid) RETURNS boolean LANGUAGE sql STABLE AS $$
  SELECT EXISTS (SELECT 1 FROM emergency_sessions es
    WHERE es.id = app_emergency_session_id() AND es.user_id = app_user_id()
      AND es.environment_id = env AND es.ended_at IS NULL AND es.expires_at > now())
$$;
--> statement-breakpoint

-- Permissions: 0 none, 1 read, 2 write, 3 admin. The baseline mirrors lib/roles.ts (tested to agree);
-- access policies can raise it for a user or a role, all or one variable, some environments.
CREATE FUNCTION baseline_permission(role text, env_type text) RETURNS int LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE
    WHEN role IN ('owner', 'admin') THEN 3
    WHEN role = 'on_call' THEN 1
    WHEN role = 'security_reviewer' THEN 0
    WHEN env_type IN ('production', 'disaster_recovery') THEN CASE WHEN role = 'lead' THEN 1 ELSE 0 END
    WHEN role = 'lead' THEN 3
    WHEN role = 'developer' THEN 2
    WHEN role = 'viewer' THEN 1
    ELSE 0 END
$$;
--> statement-breakpoint
CREATE FUNCTION app_value_permission(variable uuid, env uuid) RETURNS int LANGUAGE sql STABLE AS $$
  WITH e AS (SELECT id, name, environment_type FROM environments WHERE id = env AND organization_id = app_org_id()),
  r AS (SELECT app_role() AS role)
  SELECT greatest(
    (SELECT baseline_permission(r.role, e.environment_type) FROM e, r),
    (SELECT max(CASE vap.permission_level WHEN 'write' THEN 2 WHEN 'admin' THEN 3 ELSE 1 END)
       FROM variable_access_policies vap, e, r
      WHERE vap.organization_id = app_org_id() AND vap.is_active
        AND (vap.expires_at IS NULL OR vap.expires_at > now())
        AND (vap.user_id = app_user_id() OR vap.role = r.role)
        AND (vap.variable_id IS NULL OR vap.variable_id = variable)
        AND (vap.tag IS NULL OR vap.tag = ANY (coalesce((SELECT tags FROM environment_variables WHERE id = variable), '{}'::text[])))
        AND (vap.environment_restrictions IS NULL OR e.name = ANY (vap.environment_restrictions))),
    0)
$$;
--> statement-breakpoint
-- Environments whose value rows (ciphertext and hash) the caller may see, computed once per statement.
-- Security reviewers see every row's metadata and hash; decrypting still needs read permission.
CREATE FUNCTION app_visible_env_ids() RETURNS uuid[] LANGUAGE sql STABLE AS $$
  SELECT coalesce(array_agg(e.id), '{}') FROM environments e
   WHERE e.organization_id = app_org_id()
     AND (app_role() = 'security_reviewer' OR app_value_permission(NULL, e.id) >= 1)
$$;
--> statement-breakpoint

-- Seed 000 get_environment_health, scoped to the environment's organization and to live variables.
CREATE FUNCTION get_environment_health(env_id uuid) RETURNS jsonb LANGUAGE plpgsql STABLE AS $$
DECLARE
  missing_vars integer;
  drift_count integer;
  failed_validations integer;
  last_sync timestamptz;
BEGIN
  SELECT count(*) INTO missing_vars
    FROM environment_variables ev
    JOIN environments e ON e.id = env_id AND e.organization_id = ev.organization_id
    LEFT JOIN environment_variable_values evv ON evv.variable_id = ev.id AND evv.environment_id = env_id
   WHERE ev.is_required AND ev.deleted_at IS NULL AND evv.id IS NULL;
  SELECT count(*) INTO drift_count FROM configuration_drift WHERE environment_id = env_id AND resolved_at IS NULL;
  SELECT count(DISTINCT variable_id) INTO failed_validations FROM (
    SELECT DISTINCT ON (variable_id, validation_type) variable_id, validation_status
      FROM variable_validations WHERE environment_id = env_id
     ORDER BY variable_id, validation_type, validated_at DESC) latest
   WHERE validation_status = 'failed';
  SELECT max(completed_at) INTO last_sync FROM deployment_syncs
   WHERE environment_id = env_id AND sync_status = 'completed';
  RETURN jsonb_build_object(
    'missing_variables', missing_vars,
    'configuration_drift', drift_count,
    'failed_validations', failed_validations,
    'last_sync', last_sync,
    'status', CASE
      WHEN missing_vars > 0 OR drift_count > 5 THEN 'critical'
      WHEN drift_count > 0 OR failed_validations > 0 THEN 'warning'
      ELSE 'healthy' END);
END $$;
--> statement-breakpoint

-- Wedding-hours lock, enforced for every writer (the app, a script, the owner): a clear error, SQLSTATE RBW01.
CREATE FUNCTION enforce_wedding_lock_on_values() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE env uuid := CASE WHEN TG_OP = 'DELETE' THEN OLD.environment_id ELSE NEW.environment_id END;
BEGIN
  IF app_env_locked(env) AND NOT app_emergency_ok(env) THEN
    RAISE EXCEPTION 'locked:wedding_hours: environment % is read-only until %', env,
      (SELECT wedding_lock_until(organization_id) FROM environments WHERE id = env)
      USING ERRCODE = 'RBW01';
  END IF;
  RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
END $$;
--> statement-breakpoint
CREATE TRIGGER environment_variable_values_wedding_lock
  BEFORE INSERT OR UPDATE OR DELETE ON environment_variable_values
  FOR EACH ROW EXECUTE FUNCTION enforce_wedding_lock_on_values();
--> statement-breakpoint
-- Turning protection off, or deactivating a protected environment, during its window is itself locked.
CREATE FUNCTION enforce_wedding_lock_on_environments() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF OLD.wedding_day_protection AND is_wedding_hours(OLD.organization_id, now())
     AND (NOT NEW.wedding_day_protection OR NOT NEW.is_active) AND NOT app_emergency_ok(OLD.id) THEN
    RAISE EXCEPTION 'locked:wedding_hours: protection of environment % cannot be lifted during wedding hours', OLD.name
      USING ERRCODE = 'RBW01';
  END IF;
  RETURN NEW;
END $$;
--> statement-breakpoint
CREATE TRIGGER environments_wedding_lock BEFORE UPDATE ON environments
  FOR EACH ROW EXECUTE FUNCTION enforce_wedding_lock_on_environments();
--> statement-breakpoint
-- Shortening or removing a window while it is in force would lift the lock: refuse until it ends.
CREATE FUNCTION enforce_wedding_lock_on_windows() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF is_wedding_hours(OLD.organization_id, now()) THEN
    RAISE EXCEPTION 'locked:wedding_hours: protection windows cannot be changed or removed while one is in force'
      USING ERRCODE = 'RBW01';
  END IF;
  RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
END $$;
--> statement-breakpoint
CREATE TRIGGER protection_windows_wedding_lock BEFORE UPDATE OR DELETE ON protection_windows
  FOR EACH ROW EXECUTE FUNCTION enforce_wedding_lock_on_windows();
--> statement-breakpoint
CREATE TRIGGER protection_blackouts_wedding_lock BEFORE UPDATE OR DELETE ON protection_blackouts
  FOR EACH ROW EXECUTE FUNCTION enforce_wedding_lock_on_windows();
--> statement-breakpoint
CREATE FUNCTION enforce_wedding_lock_on_variable_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF OLD.deleted_at IS NULL AND NEW.deleted_at IS NOT NULL AND EXISTS (
    SELECT 1 FROM environment_variable_values v
     WHERE v.variable_id = OLD.id AND app_env_locked(v.environment_id) AND NOT app_emergency_ok(v.environment_id)) THEN
    RAISE EXCEPTION 'locked:wedding_hours: % has a value in a protected environment during wedding hours', OLD.name
      USING ERRCODE = 'RBW01';
  END IF;
  RETURN NEW;
END $$;
--> statement-breakpoint
CREATE TRIGGER environment_variables_wedding_lock BEFORE UPDATE ON environment_variables
  FOR EACH ROW EXECUTE FUNCTION enforce_wedding_lock_on_variable_delete();
--> statement-breakpoint

-- Audit chain: each organization's rows are numbered and linked. A per-organization head row is locked
-- while a row is appended, so concurrent writers serialise on it and the chain never forks.
CREATE TABLE audit_chain_heads (
  organization_id uuid PRIMARY KEY REFERENCES organizations(id),
  seq bigint NOT NULL,
  row_hash varchar(64) NOT NULL
);
--> statement-breakpoint
CREATE FUNCTION audit_row_digest(a environment_variable_audit) RETURNS varchar LANGUAGE sql IMMUTABLE AS $$
  SELECT encode(sha256(convert_to(a.prev_hash || '|' || jsonb_build_object(
    'id', a.id, 'organization_id', a.organization_id, 'seq', a.seq, 'variable_id', a.variable_id,
    'environment_id', a.environment_id, 'user_id', a.user_id, 'action', a.action,
    'resource_type', a.resource_type, 'resource_id', a.resource_id,
    'previous_value_hash', a.previous_value_hash, 'new_value_hash', a.new_value_hash,
    'change_details', a.change_details, 'security_context', a.security_context, 'risk_level', a.risk_level,
    'emergency', a.emergency, 'ip_address', host(a.ip_address), 'user_agent', a.user_agent,
    'session_id', a.session_id, 'success', a.success, 'error_message', a.error_message,
    'created_at', to_char(a.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'))::text, 'UTF8')), 'hex')
$$;
--> statement-breakpoint
CREATE FUNCTION audit_chain_append() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
DECLARE head audit_chain_heads;
BEGIN
  INSERT INTO audit_chain_heads VALUES (NEW.organization_id, 0, '') ON CONFLICT DO NOTHING;
  SELECT * INTO head FROM audit_chain_heads WHERE organization_id = NEW.organization_id FOR UPDATE;
  NEW.seq := head.seq + 1;
  NEW.prev_hash := head.row_hash;
  NEW.created_at := clock_timestamp();
  NEW.row_hash := audit_row_digest(NEW);
  UPDATE audit_chain_heads SET seq = NEW.seq, row_hash = NEW.row_hash WHERE organization_id = NEW.organization_id;
  RETURN NEW;
END $$;
--> statement-breakpoint
CREATE TRIGGER environment_variable_audit_chain BEFORE INSERT ON environment_variable_audit
  FOR EACH ROW EXECUTE FUNCTION audit_chain_append();
--> statement-breakpoint
CREATE FUNCTION audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit rows are append-only: % refused', TG_OP USING ERRCODE = 'RBA01';
END $$;
--> statement-breakpoint
CREATE TRIGGER environment_variable_audit_append_only BEFORE UPDATE OR DELETE ON environment_variable_audit
  FOR EACH ROW EXECUTE FUNCTION audit_append_only();
--> statement-breakpoint
CREATE TRIGGER environment_variable_audit_no_truncate BEFORE TRUNCATE ON environment_variable_audit
  FOR EACH STATEMENT EXECUTE FUNCTION audit_append_only();
--> statement-breakpoint
-- Walks an organization's chain in order; returns the first row whose link or digest does not match.
CREATE FUNCTION verify_audit_chain(org uuid)
RETURNS TABLE (checked bigint, broken_seq bigint, broken_id uuid, reason text) LANGUAGE plpgsql STABLE AS $$
DECLARE a environment_variable_audit; expected_prev varchar := ''; expected_seq bigint := 1; n bigint := 0;
BEGIN
  FOR a IN SELECT * FROM environment_variable_audit WHERE organization_id = org ORDER BY seq LOOP
    n := n + 1;
    IF a.seq <> expected_seq THEN
      RETURN QUERY SELECT n, a.seq, a.id, format('row %s is missing before this one', expected_seq); RETURN;
    ELSIF a.prev_hash <> expected_prev THEN
      RETURN QUERY SELECT n, a.seq, a.id, 'link to the previous row does not match'::text; RETURN;
    ELSIF a.row_hash <> audit_row_digest(a) THEN
      RETURN QUERY SELECT n, a.seq, a.id, 'row content does not match its hash'::text; RETURN;
    END IF;
    expected_prev := a.row_hash;
    expected_seq := a.seq + 1;
  END LOOP;
  RETURN QUERY SELECT n, NULL::bigint, NULL::uuid, NULL::text;
END $$;
--> statement-breakpoint

-- Value history and the seed's value audit trigger: every write to a value keeps its version and leaves an
-- audit row in the same transaction, whoever writes it (raw SQL included). Actor and request come from the
-- request context (app.user_id, app.ip, app.user_agent, app.session_id, app.risk_level).
CREATE FUNCTION log_environment_variable_change() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
DECLARE r environment_variable_values := CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
BEGIN
  INSERT INTO value_versions (organization_id, variable_id, environment_id, version, operation,
                              encrypted_value, encryption_key_id, value_hash, note, created_by)
  VALUES (r.organization_id, r.variable_id, r.environment_id,
          CASE WHEN TG_OP = 'DELETE' THEN OLD.version + 1 ELSE NEW.version END,
          CASE WHEN TG_OP = 'DELETE' THEN 'delete' ELSE 'set' END,
          CASE WHEN TG_OP = 'DELETE' THEN NULL ELSE NEW.encrypted_value END,
          CASE WHEN TG_OP = 'DELETE' THEN NULL ELSE NEW.encryption_key_id END,
          CASE WHEN TG_OP = 'DELETE' THEN NULL ELSE NEW.value_hash END,
          CASE WHEN TG_OP = 'DELETE' THEN nullif(current_setting('app.change_note', true), '') ELSE NEW.change_note END,
          app_user_id());
  INSERT INTO environment_variable_audit (organization_id, variable_id, environment_id, user_id, action,
    resource_type, resource_id, previous_value_hash, new_value_hash, change_details, security_context,
    risk_level, emergency, ip_address, user_agent, session_id)
  VALUES (r.organization_id, r.variable_id, r.environment_id, app_user_id(),
    CASE TG_OP WHEN 'INSERT' THEN 'create' WHEN 'UPDATE' THEN 'update' ELSE 'delete' END,
    'value', r.id,
    CASE WHEN TG_OP <> 'INSERT' THEN OLD.value_hash END,
    CASE WHEN TG_OP <> 'DELETE' THEN NEW.value_hash END,
    jsonb_build_object('table', TG_TABLE_NAME, 'operation', TG_OP,
      'version', CASE WHEN TG_OP = 'DELETE' THEN OLD.version + 1 ELSE NEW.version END,
      'changed_fields', CASE WHEN TG_OP = 'UPDATE' THEN (
        SELECT coalesce(jsonb_agg(n.key ORDER BY n.key), '[]') FROM jsonb_each(to_jsonb(NEW)) n
         WHERE n.value IS DISTINCT FROM to_jsonb(OLD) -> n.key) END,
      'note', CASE WHEN TG_OP = 'DELETE' THEN nullif(current_setting('app.change_note', true), '') ELSE NEW.change_note END),
    jsonb_build_object('db_role', session_user, 'via', CASE WHEN app_user_id() IS NULL THEN 'direct_sql' ELSE 'app' END),
    nullif(current_setting('app.risk_level', true), ''),
    app_emergency_session_id() IS NOT NULL,
    coalesce(nullif(current_setting('app.ip', true), '')::inet, inet_client_addr()),
    nullif(current_setting('app.user_agent', true), ''),
    nullif(current_setting('app.session_id', true), ''));
  RETURN r;
END $$;
--> statement-breakpoint
CREATE TRIGGER environment_variable_values_audit
  AFTER INSERT OR UPDATE OR DELETE ON environment_variable_values
  FOR EACH ROW EXECUTE FUNCTION log_environment_variable_change();
--> statement-breakpoint

-- Row-level security: enabled and forced on every tenant table. Organization isolation everywhere;
-- value rows additionally by permission.
DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['organizations', 'memberships', 'environments', 'environment_variables',
    'environment_variable_values', 'value_versions', 'variable_access_policies', 'environment_variable_audit',
    'deployment_syncs', 'variable_validations', 'configuration_drift', 'encryption_keys', 'protection_windows',
    'protection_blackouts', 'emergency_sessions', 'sessions', 'audit_chain_heads'] LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
  END LOOP;
  FOREACH t IN ARRAY ARRAY['environments', 'environment_variables', 'variable_access_policies',
    'environment_variable_audit', 'deployment_syncs', 'variable_validations', 'configuration_drift',
    'encryption_keys', 'protection_windows', 'protection_blackouts', 'emergency_sessions'] LOOP
    EXECUTE format('CREATE POLICY %I ON %I FOR ALL USING (organization_id = (SELECT app_org_id()))
      WITH CHECK (organization_id = (SELECT app_org_id()))', t || '_organization_access', t);
  END LOOP;
END $$;
--> statement-breakpoint
-- An organization is visible to its members (to list a user's organizations) and to its own context.
CREATE POLICY organizations_member_access ON organizations FOR SELECT USING (
  id = (SELECT app_org_id())
  OR id IN (SELECT organization_id FROM memberships WHERE user_id = (SELECT app_user_id())));
--> statement-breakpoint
CREATE POLICY organizations_insert ON organizations FOR INSERT WITH CHECK (id = (SELECT app_org_id()));
--> statement-breakpoint
CREATE POLICY organizations_update ON organizations FOR UPDATE USING (id = (SELECT app_org_id()));
--> statement-breakpoint
CREATE POLICY memberships_access ON memberships FOR ALL
  USING (organization_id = (SELECT app_org_id()) OR user_id = (SELECT app_user_id()))
  WITH CHECK (organization_id = (SELECT app_org_id()));
--> statement-breakpoint
CREATE POLICY sessions_own ON sessions FOR ALL
  USING (user_id = (SELECT app_user_id())) WITH CHECK (user_id = (SELECT app_user_id()));
--> statement-breakpoint
CREATE POLICY env_var_values_select ON environment_variable_values FOR SELECT USING (
  organization_id = (SELECT app_org_id())
  AND (environment_id = ANY ((SELECT app_visible_env_ids())::uuid[]) OR app_value_permission(variable_id, environment_id) >= 1));
--> statement-breakpoint
CREATE POLICY env_var_values_insert ON environment_variable_values FOR INSERT WITH CHECK (
  organization_id = (SELECT app_org_id()) AND app_value_permission(variable_id, environment_id) >= 2);
--> statement-breakpoint
CREATE POLICY env_var_values_update ON environment_variable_values FOR UPDATE
  USING (organization_id = (SELECT app_org_id()) AND app_value_permission(variable_id, environment_id) >= 2)
  WITH CHECK (organization_id = (SELECT app_org_id()) AND app_value_permission(variable_id, environment_id) >= 2);
--> statement-breakpoint
CREATE POLICY env_var_values_delete ON environment_variable_values FOR DELETE
  USING (organization_id = (SELECT app_org_id()) AND app_value_permission(variable_id, environment_id) >= 2);
--> statement-breakpoint
CREATE POLICY value_versions_select ON value_versions FOR SELECT USING (
  organization_id = (SELECT app_org_id())
  AND (environment_id = ANY ((SELECT app_visible_env_ids())::uuid[]) OR app_value_permission(variable_id, environment_id) >= 1));
--> statement-breakpoint
CREATE POLICY value_versions_insert ON value_versions FOR INSERT WITH CHECK (organization_id = (SELECT app_org_id()));
--> statement-breakpoint
CREATE POLICY audit_chain_heads_org ON audit_chain_heads FOR ALL USING (organization_id = (SELECT app_org_id()));
--> statement-breakpoint

-- Grants: the app role reads and writes what the console needs; the audit trail is INSERT/SELECT only.
DO $$
DECLARE app text := coalesce(nullif(current_setting('ringbearer.app_role', true), ''), 'ringbearer_app');
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = app) THEN
    RAISE EXCEPTION 'app role % does not exist: create it before migrating', app;
  END IF;
  EXECUTE format('REVOKE ALL ON ALL TABLES IN SCHEMA public FROM PUBLIC');
  EXECUTE format('GRANT SELECT ON users, security_classifications TO %I', app);
  EXECUTE format('GRANT INSERT, UPDATE (name, password_hash, disabled_at) ON users TO %I', app);
  EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON login_attempts, memberships, sessions TO %I', app);
  EXECUTE format('GRANT SELECT, INSERT, UPDATE ON organizations TO %I', app);
  EXECUTE format('GRANT SELECT, INSERT, UPDATE ON environments, environment_variables, variable_access_policies,
    encryption_keys, emergency_sessions TO %I', app);
  EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON environment_variable_values, variable_validations,
    deployment_syncs, configuration_drift, protection_windows, protection_blackouts TO %I', app);
  EXECUTE format('GRANT SELECT ON value_versions TO %I', app);
  EXECUTE format('GRANT SELECT, INSERT ON environment_variable_audit TO %I', app);
END $$;
