-- Analytics destinations (issue 15, seed 003): where a supplier's site sends analytics events, per organization and
-- environment, with the consent each needs. Plain typed settings live here; key-like fields are variables of the
-- environment, named in `secret_variables` (field → variable name) and written through the one value path.
CREATE TABLE "destinations" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"organization_id" uuid NOT NULL REFERENCES "organizations"("id") ON DELETE cascade,
	"environment_id" uuid NOT NULL REFERENCES "environments"("id") ON DELETE cascade,
	"type" varchar(32) NOT NULL,
	"name" varchar(100) NOT NULL,
	"description" varchar(500) DEFAULT '' NOT NULL,
	"settings" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"secret_variables" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"required_consent" text[] DEFAULT '{}'::text[] NOT NULL,
	"enabled" boolean DEFAULT false NOT NULL,
	"test_mode" boolean DEFAULT false NOT NULL,
	"connection_status" varchar(16) DEFAULT 'unknown' NOT NULL,
	"last_tested_at" timestamp with time zone,
	"last_error" varchar(300),
	"version" integer DEFAULT 1 NOT NULL,
	"created_by" uuid NOT NULL REFERENCES "users"("id"),
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"deleted_at" timestamp with time zone,
	"deleted_by" uuid REFERENCES "users"("id"),
	CONSTRAINT "destinations_type_check" CHECK ("type" in ('posthog', 'meta-pixel', 'google-analytics', 'mixpanel', 'amplitude', 'console')),
	CONSTRAINT "destinations_status_check" CHECK ("connection_status" in ('connected', 'failed', 'unknown', 'testing')),
	CONSTRAINT "destinations_consent_check" CHECK ("required_consent" <@ ARRAY['necessary', 'measurement', 'marketing', 'functionality', 'experience']::text[]),
	CONSTRAINT "destinations_settings_check" CHECK (jsonb_typeof("settings") = 'object' AND jsonb_typeof("secret_variables") = 'object')
);
--> statement-breakpoint
CREATE UNIQUE INDEX "destinations_org_type_env_unique" ON "destinations" USING btree ("organization_id", "type", "environment_id") WHERE "deleted_at" IS NULL;--> statement-breakpoint
CREATE INDEX "idx_destinations_org_env" ON "destinations" USING btree ("organization_id", "environment_id");--> statement-breakpoint
-- Tenant table: RLS enabled and forced. Every member reads the organization's destinations (plain settings only);
-- owners and admins change them (integrations:manage); the app role never deletes a row (soft delete).
DO $$
DECLARE
  app text := coalesce(nullif(current_setting('ringbearer.app_role', true), ''), 'ringbearer_app');
BEGIN
  ALTER TABLE destinations ENABLE ROW LEVEL SECURITY;
  ALTER TABLE destinations FORCE ROW LEVEL SECURITY;
  CREATE POLICY destinations_read ON destinations FOR SELECT USING (organization_id = (SELECT app_org_id()));
  CREATE POLICY destinations_manage_insert ON destinations FOR INSERT
    WITH CHECK (organization_id = (SELECT app_org_id()) AND (SELECT app_role()) IN ('owner', 'admin'));
  -- A reviewer who approves a deletion replays it as themselves: the approved request admits that one row.
  CREATE POLICY destinations_manage_update ON destinations FOR UPDATE
    USING (organization_id = (SELECT app_org_id())
           AND ((SELECT app_role()) IN ('owner', 'admin') OR app_approved_change('destination:delete', id)))
    WITH CHECK (organization_id = (SELECT app_org_id())
           AND ((SELECT app_role()) IN ('owner', 'admin') OR app_approved_change('destination:delete', id)));
  EXECUTE format('CREATE POLICY destinations_definer ON destinations FOR ALL TO %I USING (true) WITH CHECK (true)', current_user);
  EXECUTE format('CREATE POLICY destinations_owner_backup_read ON destinations FOR SELECT TO %I USING (session_user = current_user)', current_user);
  REVOKE ALL ON destinations FROM PUBLIC;
  EXECUTE format('GRANT SELECT, INSERT, UPDATE ON destinations TO %I', app);
END $$;
--> statement-breakpoint
-- Wedding hours and four eyes, for every writer. While a window is in force on a protected environment its
-- destinations' configuration cannot change without break-glass (a connection test's outcome still can). On a
-- production-tier environment, deleting a destination (CRITICAL) needs a change request approved in this
-- transaction; so does a destination moving environment or type (refused outright by the app).
CREATE FUNCTION enforce_destination_gates() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  env uuid := CASE WHEN TG_OP = 'DELETE' THEN OLD.environment_id ELSE NEW.environment_id END;
  configured boolean := TG_OP <> 'UPDATE' OR (
    (NEW.type, NEW.name, NEW.description, NEW.settings, NEW.secret_variables, NEW.required_consent, NEW.enabled,
     NEW.test_mode, NEW.environment_id, NEW.deleted_at)
    IS DISTINCT FROM
    (OLD.type, OLD.name, OLD.description, OLD.settings, OLD.secret_variables, OLD.required_consent, OLD.enabled,
     OLD.test_mode, OLD.environment_id, OLD.deleted_at));
BEGIN
  IF configured AND app_env_locked(env) AND NOT app_emergency_ok(env) THEN
    RAISE EXCEPTION 'locked:wedding_hours: destinations of environment % cannot change until %', env,
      (SELECT wedding_lock_until(organization_id) FROM environments WHERE id = env)
      USING ERRCODE = 'RBW01';
  END IF;
  IF app_user_id() IS NOT NULL AND EXISTS (SELECT 1 FROM environments e WHERE e.id = env
       AND e.environment_type IN ('production', 'disaster_recovery'))
     AND (TG_OP = 'DELETE'
          OR (TG_OP = 'UPDATE' AND ((NEW.deleted_at IS NOT NULL AND OLD.deleted_at IS NULL)
               OR NEW.environment_id IS DISTINCT FROM OLD.environment_id OR NEW.type IS DISTINCT FROM OLD.type)))
     AND NOT app_approved_change('destination:delete', OLD.id) THEN
    RAISE EXCEPTION 'approval_required: deleting a destination of a production environment needs an approved change request'
      USING ERRCODE = 'RBR01';
  END IF;
  RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
END $$;
--> statement-breakpoint
CREATE TRIGGER destinations_gates BEFORE INSERT OR UPDATE OR DELETE ON destinations
  FOR EACH ROW EXECUTE FUNCTION enforce_destination_gates();
--> statement-breakpoint
ALTER TABLE "change_requests" DROP CONSTRAINT "change_requests_action_check";--> statement-breakpoint
ALTER TABLE "change_requests" ADD CONSTRAINT "change_requests_action_check" CHECK ("change_requests"."action" in ('values', 'variable:update', 'variable:delete', 'environment:update', 'protection:remove', 'policy:grant', 'member:role', 'target:update', 'target:create', 'variable:restore', 'settings:time_zone', 'destination:delete'));--> statement-breakpoint
ALTER TABLE "environment_variable_audit" DROP CONSTRAINT "environment_variable_audit_resource_check";--> statement-breakpoint
ALTER TABLE "environment_variable_audit" ADD CONSTRAINT "environment_variable_audit_resource_check" CHECK ("environment_variable_audit"."resource_type" in ('variable', 'value', 'permission', 'environment', 'organization', 'session', 'settings', 'member', 'change_request', 'invitation', 'sync_target', 'drift', 'service_token', 'webhook', 'destination'));--> statement-breakpoint
-- A client token reads the destinations' public settings and nothing else (no values, no server secrets).
ALTER TABLE "service_tokens" DROP CONSTRAINT "service_tokens_access_check";--> statement-breakpoint
ALTER TABLE "service_tokens" ADD CONSTRAINT "service_tokens_access_check" CHECK ("service_tokens"."access" in ('client', 'read', 'read-write'));
