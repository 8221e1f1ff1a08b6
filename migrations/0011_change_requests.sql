-- Change requests: four-eyes approval of HIGH and CRITICAL value changes, enforced by the database too.
--
-- 1. The risk of a value change, the SQL mirror of lib/risk.ts riskOf for value:set / value:delete
--    (0 LOW … 3 CRITICAL; tests run every combination against both).
CREATE FUNCTION value_change_risk(classification text, wedding_critical boolean, env_type text, op text)
RETURNS int LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
  tier text := CASE WHEN env_type IN ('production', 'disaster_recovery') THEN 'production'
                    WHEN env_type = 'staging' THEN 'staging' ELSE 'lower' END;
  rank int := CASE classification WHEN 'public' THEN 0 WHEN 'internal' THEN 1 WHEN 'confidential' THEN 2 ELSE 3 END
              - CASE tier WHEN 'production' THEN 0 WHEN 'staging' THEN 2 ELSE 3 END;
BEGIN
  IF op = 'delete' THEN rank := rank + 1; END IF;
  IF wedding_critical AND tier = 'production' THEN rank := greatest(rank + 1, 2); END IF;
  IF op = 'set' AND classification <> 'wedding_day_critical' AND NOT wedding_critical THEN
    rank := least(rank, 2);
  END IF;
  RETURN greatest(0, least(3, rank));
END $$;
--> statement-breakpoint
-- 2. Whether the approved change request applying in this transaction covers a write. The request must have
--    been approved by the caller in this very transaction (decided_at = now(), the transaction's start), so an
--    old approval can never be replayed; for a set, the new row's hash must be the proposed value's.
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
--> statement-breakpoint
-- An approver may lack write permission (security reviewers have none): the approved request admits its writes.
CREATE POLICY env_var_values_apply_request_insert ON environment_variable_values FOR INSERT WITH CHECK (
  organization_id = (SELECT app_org_id()) AND app_change_request_allows(variable_id, environment_id, 'set', value_hash));
--> statement-breakpoint
CREATE POLICY env_var_values_apply_request_update ON environment_variable_values FOR UPDATE
  USING (organization_id = (SELECT app_org_id()) AND app_change_request_allows(variable_id, environment_id, 'set', NULL))
  WITH CHECK (organization_id = (SELECT app_org_id()) AND app_change_request_allows(variable_id, environment_id, 'set', value_hash));
--> statement-breakpoint
CREATE POLICY env_var_values_apply_request_delete ON environment_variable_values FOR DELETE USING (
  organization_id = (SELECT app_org_id()) AND app_change_request_allows(variable_id, environment_id, 'delete', NULL));
--> statement-breakpoint
-- Value heads (version, when, by whom; the hash only for those who may read it), for everyone who may propose
-- a change, including where they cannot read: a developer proposing a production change states the version
-- they change, and the console shows that a value is set. The rows open only inside this function, through a
-- transaction-local flag it sets and clears itself; ciphertext never leaves it.
CREATE POLICY env_var_values_heads ON environment_variable_values FOR SELECT USING (
  organization_id = (SELECT app_org_id()) AND current_setting('app.value_heads', true) = 'on');
--> statement-breakpoint
CREATE FUNCTION app_value_heads(env uuid, variables uuid[])
RETURNS TABLE (variable_id uuid, version int, value_hash varchar, updated_at timestamptz, updated_by uuid)
LANGUAGE plpgsql AS $$
DECLARE visible boolean := env = ANY (app_visible_env_ids());
BEGIN
  IF app_role() IS NULL THEN RETURN; END IF;
  PERFORM set_config('app.value_heads', 'on', true);
  RETURN QUERY
    SELECT v.variable_id, v.version,
           CASE WHEN visible THEN v.value_hash
                WHEN app_value_permission(v.variable_id, env) >= 1 THEN v.value_hash END,
           v.updated_at, v.updated_by
      FROM environment_variable_values v
     WHERE v.organization_id = app_org_id() AND v.environment_id = env AND v.variable_id = ANY (variables);
  PERFORM set_config('app.value_heads', '', true);
END $$;
--> statement-breakpoint
-- 3. The gate: a HIGH or CRITICAL value change through the app (a request context is set) must come from an
--    approved change request or a live break-glass session. Checked once per statement from the transition
--    table. Owner SQL without a request context is audited as direct_sql instead; values of soft-deleted
--    variables may be removed (the purge job).
CREATE FUNCTION enforce_value_approval() RETURNS trigger LANGUAGE plpgsql AS $$
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
--> statement-breakpoint
CREATE TRIGGER environment_variable_values_approval_insert AFTER INSERT ON environment_variable_values
  REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION enforce_value_approval();
--> statement-breakpoint
CREATE TRIGGER environment_variable_values_approval_update AFTER UPDATE ON environment_variable_values
  REFERENCING OLD TABLE AS previous NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION enforce_value_approval();
--> statement-breakpoint
CREATE TRIGGER environment_variable_values_approval_delete AFTER DELETE ON environment_variable_values
  REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION enforce_value_approval();
--> statement-breakpoint
-- 4. A request is opened pending by its requester; its content never changes; a decision is final. Approve
--    and reject are for owners, admins and security reviewers other than the requester (the table's CHECK
--    repeats the four eyes); only the requester cancels; an expired request cannot be approved.
CREATE FUNCTION guard_change_request() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    IF NEW.requested_by IS DISTINCT FROM app_user_id() OR NEW.status <> 'pending' OR NEW.decided_by IS NOT NULL THEN
      RAISE EXCEPTION 'a change request is opened pending, by the person asking' USING ERRCODE = 'RBR02';
    END IF;
    RETURN NEW;
  END IF;
  IF (NEW.organization_id, NEW.environment_id, NEW.requested_by, NEW.source, NEW.reason, NEW.risk_level,
      NEW.risk_reasons, NEW.created_at, NEW.expires_at)
     IS DISTINCT FROM (OLD.organization_id, OLD.environment_id, OLD.requested_by, OLD.source, OLD.reason,
      OLD.risk_level, OLD.risk_reasons, OLD.created_at, OLD.expires_at) THEN
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
CREATE TRIGGER change_requests_guard BEFORE INSERT OR UPDATE ON change_requests
  FOR EACH ROW EXECUTE FUNCTION guard_change_request();
--> statement-breakpoint
CREATE FUNCTION guard_change_request_item() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM change_requests cr
                  WHERE cr.id = NEW.change_request_id AND cr.organization_id = NEW.organization_id
                    AND cr.environment_id = NEW.environment_id AND cr.requested_by = app_user_id()
                    AND cr.status = 'pending') THEN
    RAISE EXCEPTION 'items are added by the requester to their own pending request' USING ERRCODE = 'RBR02';
  END IF;
  RETURN NEW;
END $$;
--> statement-breakpoint
CREATE TRIGGER change_request_items_guard BEFORE INSERT ON change_request_items
  FOR EACH ROW EXECUTE FUNCTION guard_change_request_item();
--> statement-breakpoint
-- 5. Live updates: the approvals queue and badge refresh in every browser of the organization.
CREATE FUNCTION notify_change_requests() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
DECLARE r record;
BEGIN
  FOR r IN SELECT organization_id, count(*) AS n FROM changed GROUP BY organization_id LOOP
    PERFORM pg_notify('ringbearer_changes', json_build_object('org', r.organization_id, 'kind', 'change_requests',
      'count', r.n)::text);
  END LOOP;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER change_requests_notify_insert AFTER INSERT ON change_requests
  REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION notify_change_requests();
--> statement-breakpoint
CREATE TRIGGER change_requests_notify_update AFTER UPDATE ON change_requests
  REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION notify_change_requests();
