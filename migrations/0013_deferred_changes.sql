ALTER TABLE "change_requests" DROP CONSTRAINT "change_requests_source_check";--> statement-breakpoint
ALTER TABLE "change_requests" ALTER COLUMN "environment_id" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "change_requests" ADD COLUMN "action" varchar(40) DEFAULT 'values' NOT NULL;--> statement-breakpoint
ALTER TABLE "change_requests" ADD COLUMN "payload" jsonb;--> statement-breakpoint
ALTER TABLE "change_requests" ADD COLUMN "summary" varchar(500);--> statement-breakpoint
ALTER TABLE "change_requests" ADD CONSTRAINT "change_requests_action_check" CHECK ("change_requests"."action" in ('values', 'variable:update', 'variable:delete', 'environment:update', 'protection:remove', 'policy:grant', 'member:role'));--> statement-breakpoint
ALTER TABLE "change_requests" ADD CONSTRAINT "change_requests_values_env_check" CHECK (("change_requests"."action" = 'values') = ("change_requests"."environment_id" is not null));--> statement-breakpoint
ALTER TABLE "change_requests" ADD CONSTRAINT "change_requests_source_check" CHECK ("change_requests"."source" in ('edit', 'delete', 'restore', 'promote', 'import', 'drift', 'console'));
--> statement-breakpoint
-- Deferred console changes: their action, payload and summary are part of the request's fixed content.
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
