-- Integration configs (issue 15, seed 002): a supplier's Stripe, HubSpot and QuickBooks per environment and kind of
-- configuration, with their health and its history, OAuth connections and inbound webhook events. Secrets (API
-- keys, signing secrets, OAuth client secrets and tokens) are values of the environment's variables, named in
-- `secret_variables`; nothing here holds a secret.
CREATE TABLE "integration_configs" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"organization_id" uuid NOT NULL REFERENCES "organizations"("id") ON DELETE cascade,
	"environment_id" uuid NOT NULL REFERENCES "environments"("id") ON DELETE cascade,
	"platform" varchar(16) NOT NULL,
	"config_type" varchar(16) NOT NULL,
	"name" varchar(100) NOT NULL,
	"is_primary" boolean DEFAULT false NOT NULL,
	"is_active" boolean DEFAULT true NOT NULL,
	"settings" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"secret_variables" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"health_status" varchar(16) DEFAULT 'unknown' NOT NULL,
	"health_message" varchar(300),
	"health_latency_ms" integer,
	"last_health_check" timestamp with time zone,
	"next_health_check" timestamp with time zone DEFAULT now() NOT NULL,
	"consecutive_failures" integer DEFAULT 0 NOT NULL,
	"circuit_state" varchar(16) DEFAULT 'closed' NOT NULL,
	"circuit_opened_at" timestamp with time zone,
	"version" integer DEFAULT 1 NOT NULL,
	"created_by" uuid NOT NULL REFERENCES "users"("id"),
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"deleted_at" timestamp with time zone,
	"deleted_by" uuid REFERENCES "users"("id"),
	CONSTRAINT "integration_configs_platform_check" CHECK ("platform" in ('stripe', 'hubspot', 'quickbooks')),
	CONSTRAINT "integration_configs_type_check" CHECK ("config_type" in ('api_key', 'oauth', 'webhook', 'settings')),
	CONSTRAINT "integration_configs_health_check" CHECK ("health_status" in ('healthy', 'degraded', 'unhealthy', 'unknown')),
	CONSTRAINT "integration_configs_circuit_check" CHECK ("circuit_state" in ('closed', 'open', 'half_open')),
	CONSTRAINT "integration_configs_settings_check" CHECK (jsonb_typeof("settings") = 'object' AND jsonb_typeof("secret_variables") = 'object')
);
--> statement-breakpoint
CREATE UNIQUE INDEX "integration_configs_live_unique" ON "integration_configs" USING btree ("organization_id", "platform", "config_type", "environment_id") WHERE "deleted_at" IS NULL;--> statement-breakpoint
CREATE UNIQUE INDEX "integration_configs_primary_unique" ON "integration_configs" USING btree ("organization_id", "platform", "environment_id") WHERE "is_primary" AND "deleted_at" IS NULL;--> statement-breakpoint
CREATE INDEX "idx_integration_configs_due" ON "integration_configs" USING btree ("next_health_check") WHERE "is_active" AND "deleted_at" IS NULL;--> statement-breakpoint
CREATE INDEX "idx_integration_configs_health" ON "integration_configs" USING btree ("platform", "health_status");--> statement-breakpoint
CREATE TABLE "integration_health_checks" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"organization_id" uuid NOT NULL REFERENCES "organizations"("id") ON DELETE cascade,
	"config_id" uuid NOT NULL REFERENCES "integration_configs"("id") ON DELETE cascade,
	"status" varchar(16) NOT NULL,
	"latency_ms" integer,
	"http_status" integer,
	"message" varchar(300),
	"circuit_state" varchar(16) NOT NULL,
	"checked_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "integration_health_checks_status_check" CHECK ("status" in ('healthy', 'degraded', 'unhealthy', 'unknown'))
);
--> statement-breakpoint
CREATE INDEX "idx_integration_health_checks_config" ON "integration_health_checks" USING btree ("config_id", "checked_at");--> statement-breakpoint
CREATE TABLE "integration_oauth_connections" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"organization_id" uuid NOT NULL REFERENCES "organizations"("id") ON DELETE cascade,
	"config_id" uuid NOT NULL REFERENCES "integration_configs"("id") ON DELETE cascade,
	"stripe_account_id" varchar(255),
	"stripe_user_id" varchar(255),
	"stripe_livemode" boolean,
	"hubspot_portal_id" varchar(255),
	"hubspot_user_id" varchar(255),
	"hubspot_app_id" varchar(255),
	"quickbooks_realm_id" varchar(255),
	"scopes" text DEFAULT '' NOT NULL,
	"access_expires_at" timestamp with time zone,
	"is_active" boolean DEFAULT true NOT NULL,
	"revoked_at" timestamp with time zone,
	"revoked_by" uuid REFERENCES "users"("id"),
	"revoked_reason" varchar(300),
	"metadata" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_by" uuid NOT NULL REFERENCES "users"("id"),
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"refreshed_at" timestamp with time zone
);
--> statement-breakpoint
CREATE INDEX "idx_oauth_connections_active" ON "integration_oauth_connections" USING btree ("organization_id", "is_active");--> statement-breakpoint
CREATE INDEX "idx_oauth_connections_stripe_account" ON "integration_oauth_connections" USING btree ("stripe_account_id");--> statement-breakpoint
CREATE INDEX "idx_oauth_connections_hubspot_portal" ON "integration_oauth_connections" USING btree ("hubspot_portal_id");--> statement-breakpoint
CREATE TABLE "integration_webhook_events" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"organization_id" uuid NOT NULL REFERENCES "organizations"("id") ON DELETE cascade,
	"config_id" uuid NOT NULL REFERENCES "integration_configs"("id") ON DELETE cascade,
	"provider_event_id" varchar(255),
	"event_type" varchar(100),
	"signature_valid" boolean NOT NULL,
	"outcome" varchar(16) NOT NULL,
	"detail" varchar(300),
	"received_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "integration_webhook_events_outcome_check" CHECK ("outcome" in ('processed', 'ignored', 'duplicate', 'refused'))
);
--> statement-breakpoint
CREATE UNIQUE INDEX "integration_webhook_events_dedupe" ON "integration_webhook_events" USING btree ("config_id", "provider_event_id") WHERE "signature_valid" AND "provider_event_id" IS NOT NULL;--> statement-breakpoint
CREATE INDEX "idx_integration_webhook_events_config" ON "integration_webhook_events" USING btree ("config_id", "received_at");--> statement-breakpoint
-- An OAuth authorization in progress: the state (kept as a keyed hash) and the PKCE verifier (sealed under the
-- organization's data key) of one person's redirect to the provider; used once, within 10 minutes.
CREATE TABLE "integration_oauth_states" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"organization_id" uuid NOT NULL REFERENCES "organizations"("id") ON DELETE cascade,
	"config_id" uuid NOT NULL REFERENCES "integration_configs"("id") ON DELETE cascade,
	"state_hash" varchar(64) NOT NULL UNIQUE,
	"verifier_sealed" text NOT NULL,
	"encryption_key_id" varchar(255) NOT NULL REFERENCES "encryption_keys"("key_id"),
	"redirect_uri" text NOT NULL,
	"created_by" uuid NOT NULL REFERENCES "users"("id"),
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone DEFAULT now() + interval '10 minutes' NOT NULL,
	"used_at" timestamp with time zone
);
--> statement-breakpoint
-- Tenant tables: RLS enabled and forced. Every member reads configs, health and the event log (no secrets in
-- them); owners and admins change configs (integrations:manage). Health rows, OAuth connections and inbound
-- events are written by the jobs and the inbound endpoint in an owner's or admin's job context.
DO $$
DECLARE
  app text := coalesce(nullif(current_setting('ringbearer.app_role', true), ''), 'ringbearer_app');
  t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['integration_configs', 'integration_health_checks', 'integration_oauth_connections', 'integration_webhook_events', 'integration_oauth_states'] LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
    EXECUTE format('CREATE POLICY %I ON %I FOR SELECT USING (organization_id = (SELECT app_org_id()))', t || '_read', t);
    EXECUTE format('CREATE POLICY %I ON %I FOR INSERT WITH CHECK (organization_id = (SELECT app_org_id()) AND (SELECT app_role()) IN (''owner'', ''admin''))', t || '_insert', t);
    EXECUTE format('CREATE POLICY %I ON %I FOR ALL TO %I USING (true) WITH CHECK (true)', t || '_definer', t, current_user);
    EXECUTE format('CREATE POLICY %I ON %I FOR SELECT TO %I USING (session_user = current_user)', t || '_owner_backup_read', t, current_user);
    EXECUTE format('REVOKE ALL ON %I FROM PUBLIC', t);
  END LOOP;
  -- A reviewer who approves a deletion replays it as themselves: the approved request admits that one row.
  CREATE POLICY integration_configs_update ON integration_configs FOR UPDATE
    USING (organization_id = (SELECT app_org_id())
           AND ((SELECT app_role()) IN ('owner', 'admin') OR app_approved_change('integration:delete', id)))
    WITH CHECK (organization_id = (SELECT app_org_id())
           AND ((SELECT app_role()) IN ('owner', 'admin') OR app_approved_change('integration:delete', id)));
  CREATE POLICY integration_oauth_connections_update ON integration_oauth_connections FOR UPDATE
    USING (organization_id = (SELECT app_org_id()) AND (SELECT app_role()) IN ('owner', 'admin'))
    WITH CHECK (organization_id = (SELECT app_org_id()) AND (SELECT app_role()) IN ('owner', 'admin'));
  -- A state is used once, by the person who started it.
  CREATE POLICY integration_oauth_states_update ON integration_oauth_states FOR UPDATE
    USING (organization_id = (SELECT app_org_id()) AND created_by = (SELECT app_user_id()))
    WITH CHECK (organization_id = (SELECT app_org_id()) AND created_by = (SELECT app_user_id()));
  EXECUTE format('GRANT SELECT, INSERT, UPDATE ON integration_configs, integration_oauth_connections, integration_oauth_states TO %I', app);
  EXECUTE format('GRANT SELECT, INSERT ON integration_health_checks, integration_webhook_events TO %I', app);
END $$;
--> statement-breakpoint
-- Wedding hours and four eyes, as for destinations (0035): a config's configuration cannot change in a locked
-- environment without break-glass (its health can); deleting one of a production-tier environment needs a change
-- request approved in this transaction.
CREATE FUNCTION enforce_integration_gates() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  env uuid := CASE WHEN TG_OP = 'DELETE' THEN OLD.environment_id ELSE NEW.environment_id END;
  configured boolean := TG_OP <> 'UPDATE' OR (
    (NEW.platform, NEW.config_type, NEW.name, NEW.is_primary, NEW.is_active, NEW.settings, NEW.secret_variables,
     NEW.environment_id, NEW.deleted_at)
    IS DISTINCT FROM
    (OLD.platform, OLD.config_type, OLD.name, OLD.is_primary, OLD.is_active, OLD.settings, OLD.secret_variables,
     OLD.environment_id, OLD.deleted_at));
BEGIN
  IF configured AND app_env_locked(env) AND NOT app_emergency_ok(env) THEN
    RAISE EXCEPTION 'locked:wedding_hours: integrations of environment % cannot change until %', env,
      (SELECT wedding_lock_until(organization_id) FROM environments WHERE id = env)
      USING ERRCODE = 'RBW01';
  END IF;
  IF app_user_id() IS NOT NULL AND EXISTS (SELECT 1 FROM environments e WHERE e.id = env
       AND e.environment_type IN ('production', 'disaster_recovery'))
     AND (TG_OP = 'DELETE'
          OR (TG_OP = 'UPDATE' AND ((NEW.deleted_at IS NOT NULL AND OLD.deleted_at IS NULL)
               OR NEW.environment_id IS DISTINCT FROM OLD.environment_id OR NEW.platform IS DISTINCT FROM OLD.platform
               OR NEW.config_type IS DISTINCT FROM OLD.config_type)))
     AND NOT app_approved_change('integration:delete', OLD.id) THEN
    RAISE EXCEPTION 'approval_required: deleting an integration of a production environment needs an approved change request'
      USING ERRCODE = 'RBR01';
  END IF;
  RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
END $$;
--> statement-breakpoint
CREATE TRIGGER integration_configs_gates BEFORE INSERT OR UPDATE OR DELETE ON integration_configs
  FOR EACH ROW EXECUTE FUNCTION enforce_integration_gates();
--> statement-breakpoint
ALTER TABLE "change_requests" DROP CONSTRAINT "change_requests_action_check";--> statement-breakpoint
ALTER TABLE "change_requests" ADD CONSTRAINT "change_requests_action_check" CHECK ("change_requests"."action" in ('values', 'variable:update', 'variable:delete', 'environment:update', 'protection:remove', 'policy:grant', 'member:role', 'target:update', 'target:create', 'variable:restore', 'settings:time_zone', 'destination:delete', 'integration:delete'));--> statement-breakpoint
ALTER TABLE "environment_variable_audit" DROP CONSTRAINT "environment_variable_audit_resource_check";--> statement-breakpoint
ALTER TABLE "environment_variable_audit" ADD CONSTRAINT "environment_variable_audit_resource_check" CHECK ("environment_variable_audit"."resource_type" in ('variable', 'value', 'permission', 'environment', 'organization', 'session', 'settings', 'member', 'change_request', 'invitation', 'sync_target', 'drift', 'service_token', 'webhook', 'destination', 'integration'));
--> statement-breakpoint
-- A config's health changing is a live event for open consoles; turning UNHEALTHY, or recovering from it, is a
-- webhook event too (in the check's own transaction, like every event of 0031). Never a secret: names and states.
CREATE FUNCTION integration_health_events() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
  IF NEW.health_status IS DISTINCT FROM OLD.health_status OR NEW.circuit_state IS DISTINCT FROM OLD.circuit_state THEN
    PERFORM pg_notify('ringbearer_changes', json_build_object('org', NEW.organization_id, 'kind', 'integrations',
      'count', 1, 'id', NEW.id, 'name', NEW.name, 'platform', NEW.platform, 'status', NEW.health_status,
      'environment', (SELECT name FROM environments WHERE id = NEW.environment_id))::text);
  END IF;
  IF NEW.health_status IS DISTINCT FROM OLD.health_status
     AND (NEW.health_status = 'unhealthy' OR (OLD.health_status = 'unhealthy' AND NEW.health_status = 'healthy')) THEN
    PERFORM webhook_emit(NEW.organization_id,
      CASE WHEN NEW.health_status = 'unhealthy' THEN 'integration.unhealthy' ELSE 'integration.recovered' END,
      NEW.environment_id,
      jsonb_build_object('integration', NEW.id, 'name', NEW.name, 'platform', NEW.platform, 'kind', NEW.config_type,
        'environment', (SELECT name FROM environments WHERE id = NEW.environment_id),
        'status', NEW.health_status, 'message', NEW.health_message));
  END IF;
  RETURN NEW;
END $$;
--> statement-breakpoint
CREATE TRIGGER integration_configs_health_events AFTER UPDATE ON integration_configs
  FOR EACH ROW EXECUTE FUNCTION integration_health_events();
--> statement-breakpoint
-- The inbound webhook endpoint (/api/v1/integrations/{id}/webhook) is called by providers, with no session: it
-- learns which organization a live, active webhook config belongs to here, then works in that organization's job
-- context (RLS applies). Nothing else of the config is told.
CREATE FUNCTION integration_inbound_target(config uuid)
RETURNS TABLE (organization_id uuid, environment_id uuid, platform text)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
  SELECT c.organization_id, c.environment_id, c.platform::text FROM integration_configs c
   WHERE c.id = config AND c.config_type = 'webhook' AND c.is_active AND c.deleted_at IS NULL
$$;
--> statement-breakpoint
DO $$
DECLARE app text := coalesce(nullif(current_setting('ringbearer.app_role', true), ''), 'ringbearer_app');
BEGIN
  REVOKE ALL ON FUNCTION integration_inbound_target(uuid) FROM PUBLIC;
  EXECUTE format('GRANT EXECUTE ON FUNCTION integration_inbound_target(uuid) TO %I', app);
END $$;
--> statement-breakpoint
-- Environment health counts its integrations: an UNHEALTHY one makes the environment critical, a DEGRADED one a
-- warning, each with its reason (the rest as in 0024).
CREATE OR REPLACE FUNCTION get_environment_health(env_id uuid) RETURNS jsonb
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  org uuid;
  readable_env boolean;
  missing_vars integer;
  missing_names text[];
  drift_count integer;
  critical_drift integer;
  failed_validations integer;
  last_sync timestamptz;
  last_failure timestamptz;
  unhealthy_integrations integer;
  degraded_integrations integer;
  reasons text[] := '{}';
BEGIN
  SELECT e.organization_id INTO org FROM environments e WHERE e.id = env_id AND e.organization_id = app_org_id();
  IF org IS NULL OR app_role() IS NULL THEN RETURN NULL; END IF;
  readable_env := env_id = ANY (app_visible_env_ids());
  SELECT count(*),
         coalesce(array_agg(ev.name::text ORDER BY ev.name)
                    FILTER (WHERE readable_env OR app_value_permission(ev.id, env_id) >= 1), '{}')
    INTO missing_vars, missing_names
    FROM environment_variables ev
    LEFT JOIN environment_variable_values evv ON evv.variable_id = ev.id AND evv.environment_id = env_id
   WHERE ev.organization_id = org AND ev.is_required AND ev.deleted_at IS NULL AND evv.id IS NULL;
  SELECT count(*), count(*) FILTER (WHERE drift_severity = 'critical') INTO drift_count, critical_drift
    FROM configuration_drift WHERE organization_id = org AND environment_id = env_id AND resolved_at IS NULL;
  SELECT count(DISTINCT variable_id) INTO failed_validations FROM (
    SELECT DISTINCT ON (variable_id, validation_type) variable_id, validation_status
      FROM variable_validations WHERE organization_id = org AND environment_id = env_id
     ORDER BY variable_id, validation_type, validated_at DESC) latest
   WHERE validation_status = 'failed';
  SELECT max(completed_at) FILTER (WHERE sync_status = 'completed'),
         max(coalesce(completed_at, started_at)) FILTER (WHERE sync_status = 'failed')
    INTO last_sync, last_failure FROM deployment_syncs WHERE organization_id = org AND environment_id = env_id;
  SELECT count(*) FILTER (WHERE health_status = 'unhealthy'), count(*) FILTER (WHERE health_status = 'degraded')
    INTO unhealthy_integrations, degraded_integrations
    FROM integration_configs
   WHERE organization_id = org AND environment_id = env_id AND is_active AND deleted_at IS NULL;
  IF missing_vars > 0 THEN reasons := reasons || format('%s required variable(s) missing', missing_vars); END IF;
  IF critical_drift > 0 THEN reasons := reasons || format('%s critical drift', critical_drift); END IF;
  IF drift_count > critical_drift THEN
    reasons := reasons || format('%s other unresolved drift', drift_count - critical_drift);
  END IF;
  IF last_failure IS NOT NULL AND (last_sync IS NULL OR last_failure > last_sync) THEN
    reasons := reasons || 'the last sync failed'::text;
  END IF;
  IF failed_validations > 0 THEN reasons := reasons || format('%s failed validation(s)', failed_validations); END IF;
  IF unhealthy_integrations > 0 THEN
    reasons := reasons || format('%s unhealthy integration(s)', unhealthy_integrations);
  END IF;
  IF degraded_integrations > 0 THEN
    reasons := reasons || format('%s degraded integration(s)', degraded_integrations);
  END IF;
  RETURN jsonb_build_object(
    'missing_variables', missing_vars,
    'missing_names', to_jsonb(missing_names),
    'missing_hidden', missing_vars - cardinality(missing_names),
    'configuration_drift', drift_count,
    'critical_drift', critical_drift,
    'failed_validations', failed_validations,
    'last_sync', last_sync,
    'last_failed_sync', last_failure,
    'unhealthy_integrations', unhealthy_integrations,
    'degraded_integrations', degraded_integrations,
    'reasons', to_jsonb(reasons),
    'status', CASE
      WHEN missing_vars > 0 OR critical_drift > 0 OR drift_count > 5
           OR (last_failure IS NOT NULL AND (last_sync IS NULL OR last_failure > last_sync))
           OR unhealthy_integrations > 0 THEN 'critical'
      WHEN drift_count > 0 OR failed_validations > 0 OR degraded_integrations > 0 THEN 'warning'
      ELSE 'healthy' END);
END $$;
