-- Undoes 0013_deferred_changes (deferred console requests are removed; value requests stay).
CREATE OR REPLACE FUNCTION guard_change_request() RETURNS trigger LANGUAGE plpgsql AS $$
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
-- RLS is forced on the owner too: lift it for this one cleanup.
ALTER TABLE change_requests NO FORCE ROW LEVEL SECURITY;
DELETE FROM change_requests WHERE action <> 'values';
ALTER TABLE change_requests FORCE ROW LEVEL SECURITY;
ALTER TABLE change_requests DROP CONSTRAINT change_requests_action_check;
ALTER TABLE change_requests DROP CONSTRAINT change_requests_values_env_check;
ALTER TABLE change_requests DROP CONSTRAINT change_requests_source_check;
ALTER TABLE change_requests ADD CONSTRAINT change_requests_source_check CHECK (source in ('edit', 'delete', 'restore', 'promote', 'import', 'drift'));
ALTER TABLE change_requests DROP COLUMN action, DROP COLUMN payload, DROP COLUMN summary;
ALTER TABLE change_requests ALTER COLUMN environment_id SET NOT NULL;
