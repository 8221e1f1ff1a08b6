-- Security review (issue 11): the database's own gates for what four eyes and wedding hours promise.
-- Schema part (drizzle-kit): deferred changes name the row they act on; the production flag follows the type;
-- windows and blackouts have a maximum length.
ALTER TABLE "change_requests" DROP CONSTRAINT "change_requests_action_check";--> statement-breakpoint
ALTER TABLE "environments" ALTER COLUMN "is_production" DROP DEFAULT;--> statement-breakpoint
ALTER TABLE "environments" drop column "is_production";--> statement-breakpoint
ALTER TABLE "environments" ADD COLUMN "is_production" boolean GENERATED ALWAYS AS (environment_type in ('production', 'disaster_recovery')) STORED NOT NULL;--> statement-breakpoint
CREATE INDEX "idx_environment_protection" ON "environments" USING btree ("wedding_day_protection","is_production");--> statement-breakpoint
ALTER TABLE "change_requests" ADD COLUMN "resource_id" uuid;--> statement-breakpoint
ALTER TABLE "change_requests" ADD CONSTRAINT "change_requests_action_check" CHECK ("change_requests"."action" in ('values', 'variable:update', 'variable:delete', 'environment:update', 'protection:remove', 'policy:grant', 'member:role', 'target:update', 'target:create', 'variable:restore', 'settings:time_zone'));--> statement-breakpoint
-- NOT VALID: rows written before this release keep their length; every new or changed row is checked.
ALTER TABLE "protection_blackouts" ADD CONSTRAINT "protection_blackouts_length_check" CHECK ("protection_blackouts"."ends_at" <= "protection_blackouts"."starts_at" + interval '14 days') NOT VALID;--> statement-breakpoint
ALTER TABLE "protection_windows" ADD CONSTRAINT "protection_windows_length_check" CHECK (mod((("protection_windows"."end_day" - 1) * 86400 + extract(epoch from "protection_windows"."end_time")) - (("protection_windows"."start_day" - 1) * 86400 + extract(epoch from "protection_windows"."start_time")) + 604800, 604800) between 1 and 345600) NOT VALID;--> statement-breakpoint

-- 1. A deferred console change approved by the caller in this very transaction, for this action on this row.
--    Like app_change_request_allows for values: an old approval can never be replayed (decided_at = now()).
CREATE FUNCTION app_approved_change(act text, resource uuid) RETURNS boolean LANGUAGE sql STABLE AS $$
  SELECT EXISTS (SELECT 1 FROM change_requests cr
   WHERE cr.id = nullif(current_setting('app.change_request_id', true), '')::uuid
     AND cr.organization_id = app_org_id() AND cr.status = 'approved'
     AND cr.decided_by = app_user_id() AND cr.decided_at = now()
     AND cr.action = act AND cr.resource_id = resource)
$$;
--> statement-breakpoint
-- The row a request acts on is part of its fixed content.
CREATE OR REPLACE FUNCTION guard_change_request() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    IF NEW.requested_by IS DISTINCT FROM app_user_id() OR NEW.status <> 'pending' OR NEW.decided_by IS NOT NULL THEN
      RAISE EXCEPTION 'a change request is opened pending, by the person asking' USING ERRCODE = 'RBR02';
    END IF;
    RETURN NEW;
  END IF;
  IF (NEW.organization_id, NEW.environment_id, NEW.requested_by, NEW.source, NEW.action, NEW.payload,
      NEW.resource_id, NEW.summary, NEW.reason, NEW.risk_level, NEW.risk_reasons, NEW.created_at, NEW.expires_at)
     IS DISTINCT FROM (OLD.organization_id, OLD.environment_id, OLD.requested_by, OLD.source, OLD.action,
      OLD.payload, OLD.resource_id, OLD.summary, OLD.reason, OLD.risk_level, OLD.risk_reasons, OLD.created_at,
      OLD.expires_at) THEN
    RAISE EXCEPTION 'a change request''s content cannot change' USING ERRCODE = 'RBR02';
  END IF;
  IF OLD.status <> 'pending' THEN
    RAISE EXCEPTION 'change request % is already %', OLD.id, OLD.status USING ERRCODE = 'RBR02';
  END IF;
  IF NEW.status IN ('approved', 'rejected')
     AND (coalesce(app_role(), '') NOT IN ('owner', 'admin', 'security_reviewer')
          OR NEW.decided_by IS DISTINCT FROM app_user_id()) THEN
    RAISE EXCEPTION 'only a reviewer other than the requester decides a change request' USING ERRCODE = 'RBR02';
  END IF;
  IF NEW.status = 'approved' AND OLD.expires_at <= now() THEN
    RAISE EXCEPTION 'change request % has expired', OLD.id USING ERRCODE = 'RBR02';
  END IF;
  IF NEW.status = 'cancelled' AND OLD.requested_by IS DISTINCT FROM app_user_id() THEN
    RAISE EXCEPTION 'only the requester cancels a change request' USING ERRCODE = 'RBR02';
  END IF;
  RETURN NEW;
END $$;
--> statement-breakpoint

-- 2. Environments: the type (which sets the production flag) and wedding-day protection decide every value's
--    risk, so changing them is itself four-eyes, and nobody changes them while wedding hours are in force.
CREATE OR REPLACE FUNCTION enforce_wedding_lock_on_environments() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  retyped boolean := NEW.environment_type IS DISTINCT FROM OLD.environment_type
                     OR NEW.wedding_day_protection IS DISTINCT FROM OLD.wedding_day_protection;
  until timestamptz := wedding_lock_until(OLD.organization_id, now());
BEGIN
  IF until IS NOT NULL AND retyped THEN
    RAISE EXCEPTION 'locked:wedding_hours: the type and protection of % cannot change while wedding hours are in force (until %)',
      OLD.name, until USING ERRCODE = 'RBW01';
  END IF;
  IF until IS NOT NULL AND OLD.wedding_day_protection AND NOT NEW.is_active AND NOT app_emergency_ok(OLD.id) THEN
    RAISE EXCEPTION 'locked:wedding_hours: protected environment % cannot be deactivated during wedding hours (until %)',
      OLD.name, until USING ERRCODE = 'RBW01';
  END IF;
  IF retyped AND app_user_id() IS NOT NULL AND NOT app_approved_change('environment:update', OLD.id) THEN
    RAISE EXCEPTION 'approval_required: changing the type or protection of % needs an approved change request', OLD.name
      USING ERRCODE = 'RBR01';
  END IF;
  RETURN NEW;
END $$;
--> statement-breakpoint

-- 3. The organization's time zone places every weekly window: it cannot move while one is in force, and it is a
--    four-eyes change otherwise.
CREATE FUNCTION enforce_time_zone_change() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE until timestamptz;
BEGIN
  IF NEW.time_zone IS DISTINCT FROM OLD.time_zone THEN
    BEGIN
      until := wedding_lock_until(OLD.id, now());
    EXCEPTION WHEN invalid_parameter_value THEN
      until := NULL; -- the old zone is unknown to PostgreSQL (e.g. restored from elsewhere): no window can apply
    END;
    IF until IS NOT NULL THEN
      RAISE EXCEPTION 'locked:wedding_hours: the time zone cannot change while wedding hours are in force (until %)', until
        USING ERRCODE = 'RBW01';
    END IF;
    IF app_user_id() IS NOT NULL AND NOT app_approved_change('settings:time_zone', OLD.id) THEN
      RAISE EXCEPTION 'approval_required: changing the time zone needs an approved change request' USING ERRCODE = 'RBR01';
    END IF;
  END IF;
  RETURN NEW;
END $$;
--> statement-breakpoint
CREATE TRIGGER organizations_time_zone_gate BEFORE UPDATE ON organizations
  FOR EACH ROW EXECUTE FUNCTION enforce_time_zone_change();
--> statement-breakpoint

-- 4. A weekly window or a blackout cannot be changed or removed while it is itself in force (others can: removing
--    a window that is not in force does not lift the lock of now). The refusal says until when.
CREATE FUNCTION window_lock_until(w protection_windows, at timestamptz) RETURNS timestamptz
LANGUAGE sql STABLE AS $$
  WITH l AS (SELECT (at AT TIME ZONE o.time_zone) AS local, o.time_zone FROM organizations o WHERE o.id = w.organization_id),
  x AS (
    SELECT date_trunc('week', l.local) AS week_start, l.time_zone,
           (w.start_day - 1) * 86400 + extract(epoch FROM w.start_time) AS s,
           (w.end_day - 1) * 86400 + extract(epoch FROM w.end_time) AS e,
           extract(epoch FROM l.local - date_trunc('week', l.local)) AS now_s
      FROM l
  )
  SELECT CASE
    WHEN s <= e AND now_s >= s AND now_s < e THEN (week_start + make_interval(secs => e)) AT TIME ZONE time_zone
    WHEN s > e AND now_s >= s THEN (week_start + interval '7 days' + make_interval(secs => e)) AT TIME ZONE time_zone
    WHEN s > e AND now_s < e THEN (week_start + make_interval(secs => e)) AT TIME ZONE time_zone
  END FROM x
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION enforce_wedding_lock_on_windows() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE until timestamptz;
BEGIN
  IF TG_TABLE_NAME = 'protection_windows' THEN
    until := window_lock_until(OLD, now());
  ELSIF OLD.starts_at <= now() AND OLD.ends_at > now() THEN
    until := OLD.ends_at;
  END IF;
  IF until IS NOT NULL THEN
    RAISE EXCEPTION 'locked:wedding_hours: this protection is in force until %: it cannot be changed or removed before then', until
      USING ERRCODE = 'RBW01';
  END IF;
  RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
END $$;
--> statement-breakpoint

-- 5. The value gate binds what was approved: the ciphertext, its key and hash, the variable, the environment and
--    the version it was based on. A proposal's ciphertext cannot ride in under another request's hash.
DROP POLICY env_var_values_apply_request_insert ON environment_variable_values;
--> statement-breakpoint
DROP POLICY env_var_values_apply_request_update ON environment_variable_values;
--> statement-breakpoint
DROP POLICY env_var_values_apply_request_delete ON environment_variable_values;
--> statement-breakpoint
DROP FUNCTION app_change_request_allows(uuid, uuid, text, text);
--> statement-breakpoint
-- Whether the approved request applying in this transaction has an item for this row (selects rows to update).
CREATE FUNCTION app_change_request_covers(variable uuid, env uuid, op text) RETURNS boolean
LANGUAGE sql STABLE AS $$
  SELECT EXISTS (
    SELECT 1 FROM change_requests cr JOIN change_request_items i ON i.change_request_id = cr.id
     WHERE cr.id = nullif(current_setting('app.change_request_id', true), '')::uuid
       AND cr.organization_id = app_org_id() AND cr.status = 'approved' AND cr.action = 'values'
       AND cr.decided_by = app_user_id() AND cr.decided_at = now()
       AND i.variable_id = variable AND i.environment_id = env AND i.operation = op)
$$;
--> statement-breakpoint
-- Whether it admits exactly this write: a set must carry the item's ciphertext, key and hash; both start from the
-- item's base version (0 = no value).
CREATE FUNCTION app_change_request_admits(variable uuid, env uuid, op text, ciphertext text, key_id text,
  hash text, base int) RETURNS boolean
LANGUAGE sql STABLE AS $$
  SELECT EXISTS (
    SELECT 1 FROM change_requests cr JOIN change_request_items i ON i.change_request_id = cr.id
     WHERE cr.id = nullif(current_setting('app.change_request_id', true), '')::uuid
       AND cr.organization_id = app_org_id() AND cr.status = 'approved' AND cr.action = 'values'
       AND cr.decided_by = app_user_id() AND cr.decided_at = now()
       AND i.variable_id = variable AND i.environment_id = env AND i.operation = op
       AND i.base_version = base
       AND (op = 'delete' OR (i.new_encrypted_value = ciphertext AND i.encryption_key_id = key_id
                              AND i.new_value_hash = hash)))
$$;
--> statement-breakpoint
CREATE POLICY env_var_values_apply_request_insert ON environment_variable_values FOR INSERT WITH CHECK (
  organization_id = (SELECT app_org_id())
  AND app_change_request_admits(variable_id, environment_id, 'set', encrypted_value, encryption_key_id, value_hash, 0));
--> statement-breakpoint
CREATE POLICY env_var_values_apply_request_update ON environment_variable_values FOR UPDATE
  USING (organization_id = (SELECT app_org_id()) AND app_change_request_covers(variable_id, environment_id, 'set'))
  WITH CHECK (organization_id = (SELECT app_org_id())
    AND app_change_request_admits(variable_id, environment_id, 'set', encrypted_value, encryption_key_id, value_hash,
                                  version - 1));
--> statement-breakpoint
CREATE POLICY env_var_values_apply_request_delete ON environment_variable_values FOR DELETE USING (
  organization_id = (SELECT app_org_id())
  AND app_change_request_admits(variable_id, environment_id, 'delete', NULL, NULL, NULL, version));
--> statement-breakpoint
-- The gate itself: a HIGH or CRITICAL change made with an app context needs a live break-glass session or the
-- approved request's exact write. A changed ciphertext counts as a change even when the hash is kept. Only the
-- purge of variables deleted more than 90 days ago is exempt.
CREATE OR REPLACE FUNCTION enforce_value_approval() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  op text := CASE TG_OP WHEN 'DELETE' THEN 'delete' ELSE 'set' END;
  blocked record;
BEGIN
  IF app_user_id() IS NULL THEN RETURN NULL; END IF;
  IF TG_OP = 'UPDATE' THEN
    SELECT v.name, e.name AS env INTO blocked
      FROM changed c JOIN previous p ON p.id = c.id
      JOIN environment_variables v ON v.id = c.variable_id JOIN environments e ON e.id = c.environment_id
     WHERE (c.value_hash IS DISTINCT FROM p.value_hash OR c.encrypted_value IS DISTINCT FROM p.encrypted_value
            OR c.encryption_key_id IS DISTINCT FROM p.encryption_key_id)
       AND value_change_risk(v.security_classification, v.is_wedding_critical, e.environment_type, op) >= 2
       AND NOT app_emergency_ok(c.environment_id)
       AND NOT app_change_request_admits(c.variable_id, c.environment_id, op, c.encrypted_value,
                                         c.encryption_key_id, c.value_hash, p.version)
     LIMIT 1;
  ELSE
    SELECT v.name, e.name AS env INTO blocked
      FROM changed c
      JOIN environment_variables v ON v.id = c.variable_id JOIN environments e ON e.id = c.environment_id
     WHERE NOT (op = 'delete' AND v.deleted_at < now() - interval '90 days')
       AND value_change_risk(v.security_classification, v.is_wedding_critical, e.environment_type, op) >= 2
       AND NOT app_emergency_ok(c.environment_id)
       AND NOT app_change_request_admits(c.variable_id, c.environment_id, op, c.encrypted_value,
                                         c.encryption_key_id, c.value_hash,
                                         CASE WHEN op = 'delete' THEN c.version ELSE 0 END)
     LIMIT 1;
  END IF;
  IF FOUND THEN
    RAISE EXCEPTION 'approval_required: changing % in % is HIGH or CRITICAL risk and needs an approved change request', blocked.name, blocked.env
      USING ERRCODE = 'RBR01';
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint

-- 6. Variables: soft delete takes every value of the variable out of the deployments, and restore brings them
--    back, so each is gated like deleting or setting those values; lowering the classification or the
--    wedding-critical flag lowers every value's risk, so it is four-eyes here too; and a tag that brings a
--    tag-scoped grant into reach widens who may read (or write) the values, so it is authorized like that grant.
CREATE FUNCTION enforce_variable_gates() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  op text;
  blocked text;
  widening int;
BEGIN
  IF app_user_id() IS NULL THEN RETURN NEW; END IF;
  IF (OLD.deleted_at IS NULL) <> (NEW.deleted_at IS NULL) AND NEW.purged_at IS NULL THEN
    op := CASE WHEN NEW.deleted_at IS NOT NULL THEN 'delete' ELSE 'set' END;
    IF NOT app_approved_change(CASE op WHEN 'delete' THEN 'variable:delete' ELSE 'variable:restore' END, OLD.id) THEN
      -- Value rows the caller may not read still count: open them for this check only (as app_value_heads does).
      PERFORM set_config('app.value_heads', 'on', true);
      SELECT e.name INTO blocked FROM environment_variable_values x JOIN environments e ON e.id = x.environment_id
       WHERE x.variable_id = OLD.id
         AND value_change_risk(OLD.security_classification, OLD.is_wedding_critical, e.environment_type, op) >= 2
         AND NOT app_emergency_ok(x.environment_id)
       LIMIT 1;
      PERFORM set_config('app.value_heads', '', true);
      IF blocked IS NOT NULL THEN
        RAISE EXCEPTION 'approval_required: % % a HIGH or CRITICAL value in % and needs an approved change request',
          CASE op WHEN 'delete' THEN 'deleting' ELSE 'restoring' END, OLD.name, blocked USING ERRCODE = 'RBR01';
      END IF;
    END IF;
    IF op = 'set' AND EXISTS (SELECT 1 FROM environment_variable_values x
        WHERE x.variable_id = OLD.id AND app_env_locked(x.environment_id) AND NOT app_emergency_ok(x.environment_id)) THEN
      RAISE EXCEPTION 'locked:wedding_hours: % has a value in a protected environment during wedding hours', OLD.name
        USING ERRCODE = 'RBW01';
    END IF;
  END IF;
  -- The value gate scores values by the classification and the wedding-critical flag: lowering either is HIGH
  -- (as in lib/risk.ts), so the gate does not trust a flag the same user could lower a minute before.
  IF ((CASE NEW.security_classification WHEN 'public' THEN 0 WHEN 'internal' THEN 1 WHEN 'confidential' THEN 2 ELSE 3 END)
      < (CASE OLD.security_classification WHEN 'public' THEN 0 WHEN 'internal' THEN 1 WHEN 'confidential' THEN 2 ELSE 3 END)
      OR (OLD.is_wedding_critical AND NOT NEW.is_wedding_critical))
     AND NOT app_approved_change('variable:update', OLD.id) THEN
    RAISE EXCEPTION 'approval_required: lowering the classification of % or removing its wedding-critical flag needs an approved change request', OLD.name
      USING ERRCODE = 'RBR01';
  END IF;
  IF NEW.tags IS DISTINCT FROM OLD.tags AND NOT app_approved_change('variable:update', OLD.id) THEN
    SELECT max(CASE WHEN vap.permission_level IN ('admin', 'emergency') THEN 2
                    WHEN vap.permission_level = 'write' AND EXISTS (
                      SELECT 1 FROM environments e WHERE e.organization_id = NEW.organization_id
                         AND e.environment_type IN ('production', 'disaster_recovery')
                         AND (vap.environment_restrictions IS NULL OR e.name = ANY (vap.environment_restrictions))) THEN 2
                    ELSE 1 END)
      INTO widening FROM variable_access_policies vap
     WHERE vap.organization_id = NEW.organization_id AND vap.is_active
       AND (vap.expires_at IS NULL OR vap.expires_at > now())
       AND vap.tag IS NOT NULL AND vap.tag = ANY (NEW.tags) AND NOT vap.tag = ANY (OLD.tags)
       AND (vap.variable_id IS NULL OR vap.variable_id = OLD.id);
    IF widening IS NOT NULL AND coalesce(app_role(), '') NOT IN ('owner', 'admin') THEN
      RAISE EXCEPTION 'forbidden: this tag gives access to %''s values through a grant: only owners and admins grant access', OLD.name
        USING ERRCODE = '42501';
    END IF;
    IF widening >= 2 THEN
      RAISE EXCEPTION 'approval_required: this tag gives write or admin access to %''s values and needs an approved change request', OLD.name
        USING ERRCODE = 'RBR01';
    END IF;
  END IF;
  RETURN NEW;
END $$;
--> statement-breakpoint
CREATE TRIGGER environment_variables_gates BEFORE UPDATE ON environment_variables
  FOR EACH ROW EXECUTE FUNCTION enforce_variable_gates();
--> statement-breakpoint

-- 7. Sync targets of production-tier environments (where production values are sent): a new target, a new
--    location, moving it to another environment or letting it delete unmanaged keys needs an approved request.
CREATE FUNCTION enforce_target_approval() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF app_user_id() IS NULL OR NOT EXISTS (SELECT 1 FROM environments e WHERE e.id = NEW.environment_id
       AND e.environment_type IN ('production', 'disaster_recovery')) THEN
    RETURN NEW;
  END IF;
  IF TG_OP = 'INSERT' AND NOT app_approved_change('target:create', NEW.id) THEN
    RAISE EXCEPTION 'approval_required: a sync target of a production environment needs an approved change request'
      USING ERRCODE = 'RBR01';
  END IF;
  IF TG_OP = 'UPDATE' AND (NEW.location IS DISTINCT FROM OLD.location OR NEW.kind IS DISTINCT FROM OLD.kind
       OR NEW.environment_id IS DISTINCT FROM OLD.environment_id
       OR (NEW.delete_unmanaged AND NOT OLD.delete_unmanaged))
     AND NOT app_approved_change('target:update', NEW.id) THEN
    RAISE EXCEPTION 'approval_required: moving a production sync target or letting it delete keys needs an approved change request'
      USING ERRCODE = 'RBR01';
  END IF;
  RETURN NEW;
END $$;
--> statement-breakpoint
CREATE TRIGGER sync_targets_approval BEFORE INSERT OR UPDATE ON sync_targets
  FOR EACH ROW EXECUTE FUNCTION enforce_target_approval();
--> statement-breakpoint

-- 8. The audit chain's verifier compares the walk with the anchored head (audit_chain_heads: the app role cannot
--    write it; only the chain's own SECURITY DEFINER triggers do), so deleting the newest rows is noticed too.
-- The head, read past the app role's lack of privileges on the table: for the caller's own organization, or for
-- an operator (the schema owner or a superuser) verifying any. The owner role gets a SELECT policy for it, as
-- for job_contexts().
DO $$
BEGIN
  EXECUTE format('CREATE POLICY audit_chain_heads_owner_read ON audit_chain_heads FOR SELECT TO %I USING (true)', current_user);
END $$;
--> statement-breakpoint
CREATE FUNCTION audit_chain_head(org uuid) RETURNS audit_chain_heads
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
  SELECT h.* FROM audit_chain_heads h
   WHERE h.organization_id = org
     AND (org = app_org_id()
          OR pg_has_role(session_user, (SELECT relowner FROM pg_class WHERE oid = 'public.audit_chain_heads'::regclass), 'MEMBER'))
$$;
--> statement-breakpoint
DO $$
DECLARE app text := coalesce(nullif(current_setting('ringbearer.app_role', true), ''), 'ringbearer_app');
BEGIN
  EXECUTE 'REVOKE ALL ON FUNCTION audit_chain_head(uuid) FROM PUBLIC';
  EXECUTE format('GRANT EXECUTE ON FUNCTION audit_chain_head(uuid) TO %I', app);
END $$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION verify_audit_chain(org uuid)
RETURNS TABLE (checked bigint, broken_seq bigint, broken_id uuid, reason text) LANGUAGE plpgsql STABLE AS $$
DECLARE a environment_variable_audit; expected_prev varchar := ''; expected_seq bigint := 1; n bigint := 0;
  head audit_chain_heads;
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
  head := audit_chain_head(org);
  IF coalesce(head.seq, 0) <> expected_seq - 1 OR coalesce(head.row_hash, '') <> expected_prev THEN
    RETURN QUERY SELECT n, expected_seq, NULL::uuid,
      format('rows from %s are missing: the chain head says %s rows, ending in %s', expected_seq,
             coalesce(head.seq, 0), left(coalesce(head.row_hash, ''), 12));
    RETURN;
  END IF;
  RETURN QUERY SELECT n, NULL::bigint, NULL::uuid, NULL::text;
END $$;
