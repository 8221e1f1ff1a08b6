CREATE TABLE "sync_targets" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"organization_id" uuid NOT NULL,
	"environment_id" uuid NOT NULL,
	"name" varchar(100) NOT NULL,
	"kind" varchar(20) NOT NULL,
	"location" text NOT NULL,
	"secret_sealed" text NOT NULL,
	"encryption_key_id" varchar(255) NOT NULL,
	"delete_unmanaged" boolean DEFAULT false NOT NULL,
	"managed_keys" text[] DEFAULT '{}'::text[] NOT NULL,
	"scan_interval_minutes" integer DEFAULT 15 NOT NULL,
	"is_active" boolean DEFAULT true NOT NULL,
	"last_scan_at" timestamp with time zone,
	"last_test_at" timestamp with time zone,
	"last_test_status" varchar(20),
	"last_test_message" text,
	"version" integer DEFAULT 1 NOT NULL,
	"created_by" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "sync_targets_env_name_unique" UNIQUE("environment_id","name"),
	CONSTRAINT "sync_targets_kind_check" CHECK ("sync_targets"."kind" in ('dotenv_file', 'http')),
	CONSTRAINT "sync_targets_interval_check" CHECK ("sync_targets"."scan_interval_minutes" between 1 and 1440),
	CONSTRAINT "sync_targets_test_check" CHECK ("sync_targets"."last_test_status" in ('passed', 'failed'))
);
--> statement-breakpoint
ALTER TABLE "environment_variable_audit" DROP CONSTRAINT "environment_variable_audit_resource_check";--> statement-breakpoint
ALTER TABLE "configuration_drift" ADD COLUMN "target_id" uuid;--> statement-breakpoint
ALTER TABLE "configuration_drift" ADD COLUMN "variable_id" uuid;--> statement-breakpoint
ALTER TABLE "configuration_drift" ADD COLUMN "drift_key" text NOT NULL;--> statement-breakpoint
ALTER TABLE "configuration_drift" ADD COLUMN "details" jsonb DEFAULT '{}'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "configuration_drift" ADD COLUMN "last_seen_at" timestamp with time zone DEFAULT now() NOT NULL;--> statement-breakpoint
ALTER TABLE "configuration_drift" ADD COLUMN "resolution" varchar(20);--> statement-breakpoint
ALTER TABLE "configuration_drift" ADD COLUMN "resolved_by" uuid;--> statement-breakpoint
ALTER TABLE "deployment_syncs" ADD COLUMN "target_id" uuid;--> statement-breakpoint
ALTER TABLE "sync_targets" ADD CONSTRAINT "sync_targets_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sync_targets" ADD CONSTRAINT "sync_targets_environment_id_environments_id_fk" FOREIGN KEY ("environment_id") REFERENCES "public"."environments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sync_targets" ADD CONSTRAINT "sync_targets_encryption_key_id_encryption_keys_key_id_fk" FOREIGN KEY ("encryption_key_id") REFERENCES "public"."encryption_keys"("key_id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sync_targets" ADD CONSTRAINT "sync_targets_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "idx_sync_targets_org" ON "sync_targets" USING btree ("organization_id","is_active");--> statement-breakpoint
ALTER TABLE "configuration_drift" ADD CONSTRAINT "configuration_drift_target_id_sync_targets_id_fk" FOREIGN KEY ("target_id") REFERENCES "public"."sync_targets"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "configuration_drift" ADD CONSTRAINT "configuration_drift_variable_id_environment_variables_id_fk" FOREIGN KEY ("variable_id") REFERENCES "public"."environment_variables"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "configuration_drift" ADD CONSTRAINT "configuration_drift_resolved_by_users_id_fk" FOREIGN KEY ("resolved_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "deployment_syncs" ADD CONSTRAINT "deployment_syncs_target_id_sync_targets_id_fk" FOREIGN KEY ("target_id") REFERENCES "public"."sync_targets"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "configuration_drift_open_key" ON "configuration_drift" USING btree ("organization_id","drift_key") WHERE resolved_at is null;--> statement-breakpoint
ALTER TABLE "environment_variable_audit" ADD CONSTRAINT "environment_variable_audit_resource_check" CHECK ("environment_variable_audit"."resource_type" in ('variable', 'value', 'permission', 'environment', 'organization', 'session', 'settings', 'member', 'change_request', 'invitation', 'sync_target', 'drift'));--> statement-breakpoint
ALTER TABLE "configuration_drift" ADD CONSTRAINT "configuration_drift_resolution_check" CHECK ("configuration_drift"."resolution" in ('pushed', 'adopted', 'dismissed', 'auto'));--> statement-breakpoint
ALTER TABLE sync_targets ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE sync_targets FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY sync_targets_organization_access ON sync_targets FOR ALL
  USING (organization_id = (SELECT app_org_id())) WITH CHECK (organization_id = (SELECT app_org_id()));
--> statement-breakpoint
DO $$
DECLARE app text := coalesce(nullif(current_setting('ringbearer.app_role', true), ''), 'ringbearer_app');
BEGIN
  EXECUTE 'REVOKE ALL ON sync_targets FROM PUBLIC';
  EXECUTE format('GRANT SELECT, INSERT, UPDATE ON sync_targets TO %I', app);
END $$;
--> statement-breakpoint
-- Drift alerts arrive live: one NOTIFY per statement and organization, never a value or a hash.
CREATE FUNCTION notify_drift() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
DECLARE r record;
BEGIN
  FOR r IN SELECT organization_id, count(*) AS n, count(*) FILTER (WHERE resolved_at IS NULL) AS open,
                  bool_or(drift_severity = 'critical' AND resolved_at IS NULL) AS critical
             FROM changed GROUP BY organization_id LOOP
    PERFORM pg_notify('ringbearer_changes', json_build_object('org', r.organization_id, 'kind', 'drift',
      'count', r.n, 'open', r.open, 'critical', r.critical)::text);
  END LOOP;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER configuration_drift_notify_insert AFTER INSERT ON configuration_drift
  REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION notify_drift();
--> statement-breakpoint
CREATE TRIGGER configuration_drift_notify_update AFTER UPDATE ON configuration_drift
  REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION notify_drift();
--> statement-breakpoint
-- Seed 000's health, with the reasons: critical when a required variable is missing, any unresolved drift is
-- critical, more than five are unresolved, or the last sync failed after the last success; warning for other
-- unresolved drift or failed validations.
CREATE OR REPLACE FUNCTION get_environment_health(env_id uuid) RETURNS jsonb LANGUAGE plpgsql STABLE AS $$
DECLARE
  missing_vars integer;
  drift_count integer;
  critical_drift integer;
  failed_validations integer;
  last_sync timestamptz;
  last_failure timestamptz;
  reasons text[] := '{}';
BEGIN
  SELECT count(*) INTO missing_vars
    FROM environment_variables ev
    JOIN environments e ON e.id = env_id AND e.organization_id = ev.organization_id
    LEFT JOIN environment_variable_values evv ON evv.variable_id = ev.id AND evv.environment_id = env_id
   WHERE ev.is_required AND ev.deleted_at IS NULL AND evv.id IS NULL;
  SELECT count(*), count(*) FILTER (WHERE drift_severity = 'critical') INTO drift_count, critical_drift
    FROM configuration_drift WHERE environment_id = env_id AND resolved_at IS NULL;
  SELECT count(DISTINCT variable_id) INTO failed_validations FROM (
    SELECT DISTINCT ON (variable_id, validation_type) variable_id, validation_status
      FROM variable_validations WHERE environment_id = env_id
     ORDER BY variable_id, validation_type, validated_at DESC) latest
   WHERE validation_status = 'failed';
  SELECT max(completed_at) FILTER (WHERE sync_status = 'completed'),
         max(coalesce(completed_at, started_at)) FILTER (WHERE sync_status = 'failed')
    INTO last_sync, last_failure FROM deployment_syncs WHERE environment_id = env_id;
  IF missing_vars > 0 THEN reasons := reasons || format('%s required variable(s) missing', missing_vars); END IF;
  IF critical_drift > 0 THEN reasons := reasons || format('%s critical drift', critical_drift); END IF;
  IF drift_count > critical_drift THEN
    reasons := reasons || format('%s other unresolved drift', drift_count - critical_drift);
  END IF;
  IF last_failure IS NOT NULL AND (last_sync IS NULL OR last_failure > last_sync) THEN
    reasons := reasons || 'the last sync failed'::text;
  END IF;
  IF failed_validations > 0 THEN reasons := reasons || format('%s failed validation(s)', failed_validations); END IF;
  RETURN jsonb_build_object(
    'missing_variables', missing_vars,
    'configuration_drift', drift_count,
    'critical_drift', critical_drift,
    'failed_validations', failed_validations,
    'last_sync', last_sync,
    'last_failed_sync', last_failure,
    'reasons', to_jsonb(reasons),
    'status', CASE
      WHEN missing_vars > 0 OR critical_drift > 0 OR drift_count > 5
           OR (last_failure IS NOT NULL AND (last_sync IS NULL OR last_failure > last_sync)) THEN 'critical'
      WHEN drift_count > 0 OR failed_validations > 0 THEN 'warning'
      ELSE 'healthy' END);
END $$;
