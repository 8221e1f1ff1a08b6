-- Undoes 0020_security_gates (requests of the new kinds are removed; RLS is forced on the owner too).
DROP TRIGGER sync_targets_approval ON sync_targets;
DROP FUNCTION enforce_target_approval();
DROP TRIGGER environment_variables_gates ON environment_variables;
DROP FUNCTION enforce_variable_gates();
DROP TRIGGER organizations_time_zone_gate ON organizations;
DROP FUNCTION enforce_time_zone_change();
CREATE OR REPLACE FUNCTION verify_audit_chain(org uuid)
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
DROP FUNCTION audit_chain_head(uuid);
DROP POLICY audit_chain_heads_owner_read ON audit_chain_heads;
CREATE OR REPLACE FUNCTION enforce_wedding_lock_on_windows() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF is_wedding_hours(OLD.organization_id, now()) THEN
    RAISE EXCEPTION 'locked:wedding_hours: protection windows cannot be changed or removed while one is in force'
      USING ERRCODE = 'RBW01';
  END IF;
  RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
END $$;
DROP FUNCTION window_lock_until(protection_windows, timestamptz);
CREATE OR REPLACE FUNCTION enforce_wedding_lock_on_environments() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF OLD.wedding_day_protection AND is_wedding_hours(OLD.organization_id, now())
     AND (NOT NEW.wedding_day_protection OR NOT NEW.is_active) AND NOT app_emergency_ok(OLD.id) THEN
    RAISE EXCEPTION 'locked:wedding_hours: protection of environment % cannot be lifted during wedding hours', OLD.name
      USING ERRCODE = 'RBW01';
  END IF;
  RETURN NEW;
END $$;
DROP POLICY env_var_values_apply_request_insert ON environment_variable_values;
DROP POLICY env_var_values_apply_request_update ON environment_variable_values;
DROP POLICY env_var_values_apply_request_delete ON environment_variable_values;
CREATE FUNCTION app_change_request_allows(variable uuid, env uuid, op text, hash text) RETURNS boolean
LANGUAGE sql STABLE AS $$
  SELECT EXISTS (
    SELECT 1 FROM change_requests cr JOIN change_request_items i ON i.change_request_id = cr.id
     WHERE cr.id = nullif(current_setting('app.change_request_id', true), '')::uuid
       AND cr.organization_id = app_org_id() AND cr.status = 'approved'
       AND cr.decided_by = app_user_id() AND cr.decided_at = now()
       AND i.variable_id = variable AND i.environment_id = env AND i.operation = op
       AND (hash IS NULL OR i.new_value_hash = hash))
$$;
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
     WHERE c.value_hash IS DISTINCT FROM p.value_hash
       AND value_change_risk(v.security_classification, v.is_wedding_critical, e.environment_type, op) >= 2
       AND NOT app_emergency_ok(c.environment_id)
       AND NOT app_change_request_allows(c.variable_id, c.environment_id, op, c.value_hash)
     LIMIT 1;
  ELSE
    SELECT v.name, e.name AS env INTO blocked
      FROM changed c
      JOIN environment_variables v ON v.id = c.variable_id JOIN environments e ON e.id = c.environment_id
     WHERE v.deleted_at IS NULL
       AND value_change_risk(v.security_classification, v.is_wedding_critical, e.environment_type, op) >= 2
       AND NOT app_emergency_ok(c.environment_id)
       AND NOT app_change_request_allows(c.variable_id, c.environment_id, op,
                                         CASE WHEN op = 'set' THEN c.value_hash END)
     LIMIT 1;
  END IF;
  IF FOUND THEN
    RAISE EXCEPTION 'approval_required: changing % in % is HIGH or CRITICAL risk and needs an approved change request', blocked.name, blocked.env
      USING ERRCODE = 'RBR01';
  END IF;
  RETURN NULL;
END $$;
DROP FUNCTION app_change_request_admits(uuid, uuid, text, text, text, text, int);
DROP FUNCTION app_change_request_covers(uuid, uuid, text);
CREATE POLICY env_var_values_apply_request_insert ON environment_variable_values FOR INSERT WITH CHECK (
  organization_id = (SELECT app_org_id()) AND app_change_request_allows(variable_id, environment_id, 'set', value_hash));
CREATE POLICY env_var_values_apply_request_update ON environment_variable_values FOR UPDATE
  USING (organization_id = (SELECT app_org_id()) AND app_change_request_allows(variable_id, environment_id, 'set', NULL))
  WITH CHECK (organization_id = (SELECT app_org_id()) AND app_change_request_allows(variable_id, environment_id, 'set', value_hash));
CREATE POLICY env_var_values_apply_request_delete ON environment_variable_values FOR DELETE USING (
  organization_id = (SELECT app_org_id()) AND app_change_request_allows(variable_id, environment_id, 'delete', NULL));
CREATE OR REPLACE FUNCTION guard_change_request() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    IF NEW.requested_by IS DISTINCT FROM app_user_id() OR NEW.status <> 'pending' OR NEW.decided_by IS NOT NULL THEN
      RAISE EXCEPTION 'a change request is opened pending, by the person asking' USING ERRCODE = 'RBR02';
    END IF;
    RETURN NEW;
  END IF;
  IF (NEW.organization_id, NEW.environment_id, NEW.requested_by, NEW.source, NEW.action, NEW.payload,
      NEW.summary, NEW.reason, NEW.risk_level, NEW.risk_reasons, NEW.created_at, NEW.expires_at)
     IS DISTINCT FROM (OLD.organization_id, OLD.environment_id, OLD.requested_by, OLD.source, OLD.action,
      OLD.payload, OLD.summary, OLD.reason, OLD.risk_level, OLD.risk_reasons, OLD.created_at, OLD.expires_at) THEN
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
DROP FUNCTION app_approved_change(text, uuid);
ALTER TABLE change_requests NO FORCE ROW LEVEL SECURITY;
DELETE FROM change_requests WHERE action IN ('target:create', 'variable:restore', 'settings:time_zone');
ALTER TABLE change_requests FORCE ROW LEVEL SECURITY;
ALTER TABLE "change_requests" DROP CONSTRAINT "change_requests_action_check";
ALTER TABLE "change_requests" ADD CONSTRAINT "change_requests_action_check" CHECK ("change_requests"."action" in ('values', 'variable:update', 'variable:delete', 'environment:update', 'protection:remove', 'policy:grant', 'member:role', 'target:update'));
ALTER TABLE "change_requests" DROP COLUMN "resource_id";
ALTER TABLE "protection_windows" DROP CONSTRAINT "protection_windows_length_check";
ALTER TABLE "protection_blackouts" DROP CONSTRAINT "protection_blackouts_length_check";
ALTER TABLE "environments" ADD COLUMN "was_production" boolean;
ALTER TABLE environments NO FORCE ROW LEVEL SECURITY;
UPDATE "environments" SET "was_production" = "is_production";
ALTER TABLE environments FORCE ROW LEVEL SECURITY;
ALTER TABLE "environments" DROP COLUMN "is_production";
ALTER TABLE "environments" RENAME COLUMN "was_production" TO "is_production";
ALTER TABLE "environments" ALTER COLUMN "is_production" SET DEFAULT false;
ALTER TABLE "environments" ALTER COLUMN "is_production" SET NOT NULL;
CREATE INDEX "idx_environment_protection" ON "environments" USING btree ("wedding_day_protection","is_production");
