CREATE TABLE "environment_variable_audit" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"organization_id" uuid NOT NULL,
	"seq" bigint DEFAULT 0 NOT NULL,
	"variable_id" uuid,
	"environment_id" uuid,
	"user_id" uuid,
	"action" varchar(50) NOT NULL,
	"resource_type" varchar(50) NOT NULL,
	"resource_id" uuid,
	"previous_value_hash" varchar(255),
	"new_value_hash" varchar(255),
	"change_details" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"security_context" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"risk_level" varchar(10),
	"emergency" boolean DEFAULT false NOT NULL,
	"ip_address" "inet",
	"user_agent" text,
	"session_id" varchar(255),
	"success" boolean DEFAULT true NOT NULL,
	"error_message" text,
	"prev_hash" varchar(64) DEFAULT '' NOT NULL,
	"row_hash" varchar(64) DEFAULT '' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "environment_variable_audit_action_check" CHECK ("environment_variable_audit"."action" in ('create', 'read', 'update', 'delete', 'rotate', 'decrypt', 'sync', 'restore', 'login', 'logout', 'export')),
	CONSTRAINT "environment_variable_audit_resource_check" CHECK ("environment_variable_audit"."resource_type" in ('variable', 'value', 'permission', 'environment', 'organization', 'session', 'settings', 'member')),
	CONSTRAINT "environment_variable_audit_risk_check" CHECK ("environment_variable_audit"."risk_level" in ('LOW', 'MEDIUM', 'HIGH', 'CRITICAL'))
);
--> statement-breakpoint
CREATE TABLE "configuration_drift" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"organization_id" uuid NOT NULL,
	"environment_id" uuid NOT NULL,
	"drift_type" varchar(50) NOT NULL,
	"variable_name" varchar(255) NOT NULL,
	"expected_value_hash" varchar(255),
	"actual_value_hash" varchar(255),
	"drift_severity" varchar(20) NOT NULL,
	"detected_at" timestamp with time zone DEFAULT now() NOT NULL,
	"resolved_at" timestamp with time zone,
	"resolution_notes" text,
	CONSTRAINT "configuration_drift_type_check" CHECK ("configuration_drift"."drift_type" in ('missing_variable', 'unexpected_variable', 'value_mismatch', 'security_violation')),
	CONSTRAINT "configuration_drift_severity_check" CHECK ("configuration_drift"."drift_severity" in ('low', 'medium', 'high', 'critical'))
);
--> statement-breakpoint
CREATE TABLE "deployment_syncs" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"organization_id" uuid NOT NULL,
	"environment_id" uuid NOT NULL,
	"sync_type" varchar(50) NOT NULL,
	"sync_status" varchar(20) NOT NULL,
	"variables_synced" integer DEFAULT 0 NOT NULL,
	"variables_failed" integer DEFAULT 0 NOT NULL,
	"sync_details" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"deployment_id" varchar(255),
	"pipeline_url" text,
	"sync_duration_ms" integer,
	"started_by" uuid NOT NULL,
	"started_at" timestamp with time zone DEFAULT now() NOT NULL,
	"completed_at" timestamp with time zone,
	"error_log" text[],
	CONSTRAINT "deployment_syncs_type_check" CHECK ("deployment_syncs"."sync_type" in ('manual', 'automated', 'pipeline', 'rollback')),
	CONSTRAINT "deployment_syncs_status_check" CHECK ("deployment_syncs"."sync_status" in ('pending', 'in_progress', 'completed', 'failed'))
);
--> statement-breakpoint
CREATE TABLE "emergency_sessions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"organization_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"environment_id" uuid NOT NULL,
	"reason" text NOT NULL,
	"started_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"ended_at" timestamp with time zone,
	CONSTRAINT "emergency_sessions_reason_check" CHECK (length("emergency_sessions"."reason") >= 10),
	CONSTRAINT "emergency_sessions_duration_check" CHECK ("emergency_sessions"."expires_at" <= "emergency_sessions"."started_at" + interval '60 minutes')
);
--> statement-breakpoint
CREATE TABLE "environments" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"organization_id" uuid NOT NULL,
	"name" varchar(100) NOT NULL,
	"display_name" varchar(255) NOT NULL,
	"description" text,
	"environment_type" varchar(50) NOT NULL,
	"is_active" boolean DEFAULT true NOT NULL,
	"is_production" boolean DEFAULT false NOT NULL,
	"wedding_day_protection" boolean DEFAULT false NOT NULL,
	"deployment_branch" varchar(255),
	"deployment_url" text,
	"metadata" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "environments_org_name_unique" UNIQUE("organization_id","name"),
	CONSTRAINT "environments_type_check" CHECK ("environments"."environment_type" in ('development', 'testing', 'staging', 'production', 'disaster_recovery'))
);
--> statement-breakpoint
CREATE TABLE "encryption_keys" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"organization_id" uuid NOT NULL,
	"key_id" varchar(255) NOT NULL,
	"key_type" varchar(50) NOT NULL,
	"key_version" integer DEFAULT 1 NOT NULL,
	"algorithm" varchar(50) DEFAULT 'AES-256-GCM' NOT NULL,
	"key_status" varchar(20) NOT NULL,
	"wrapped_key" text NOT NULL,
	"kek_fingerprint" varchar(32) NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"rotated_at" timestamp with time zone,
	"expires_at" timestamp with time zone,
	CONSTRAINT "encryption_keys_keyId_unique" UNIQUE("key_id"),
	CONSTRAINT "encryption_keys_org_type_version_unique" UNIQUE("organization_id","key_type","key_version"),
	CONSTRAINT "encryption_keys_type_check" CHECK ("encryption_keys"."key_type" in ('master', 'data', 'backup', 'hmac')),
	CONSTRAINT "encryption_keys_status_check" CHECK ("encryption_keys"."key_status" in ('active', 'rotating', 'deprecated', 'revoked'))
);
--> statement-breakpoint
CREATE TABLE "login_attempts" (
	"key" text PRIMARY KEY NOT NULL,
	"window_start" timestamp with time zone NOT NULL,
	"failures" integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "memberships" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"organization_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"role" varchar(32) NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "memberships_org_user_unique" UNIQUE("organization_id","user_id"),
	CONSTRAINT "memberships_role_check" CHECK ("memberships"."role" in ('owner', 'admin', 'lead', 'developer', 'viewer', 'security_reviewer', 'on_call'))
);
--> statement-breakpoint
CREATE TABLE "organizations" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"slug" varchar(63) NOT NULL,
	"name" varchar(255) NOT NULL,
	"time_zone" text DEFAULT 'UTC' NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "organizations_slug_unique" UNIQUE("slug")
);
--> statement-breakpoint
CREATE TABLE "protection_blackouts" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"organization_id" uuid NOT NULL,
	"starts_at" timestamp with time zone NOT NULL,
	"ends_at" timestamp with time zone NOT NULL,
	"reason" varchar(200) NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "protection_blackouts_range_check" CHECK ("protection_blackouts"."ends_at" > "protection_blackouts"."starts_at")
);
--> statement-breakpoint
CREATE TABLE "protection_windows" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"organization_id" uuid NOT NULL,
	"label" varchar(100),
	"start_day" smallint NOT NULL,
	"start_time" time NOT NULL,
	"end_day" smallint NOT NULL,
	"end_time" time NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "protection_windows_days_check" CHECK ("protection_windows"."start_day" between 1 and 7 and "protection_windows"."end_day" between 1 and 7)
);
--> statement-breakpoint
CREATE TABLE "sessions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_seen_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"revoked_at" timestamp with time zone,
	"ip_address" "inet",
	"user_agent" text
);
--> statement-breakpoint
CREATE TABLE "users" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"email" varchar(320) NOT NULL,
	"name" varchar(255) NOT NULL,
	"password_hash" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"disabled_at" timestamp with time zone,
	CONSTRAINT "users_email_unique" UNIQUE("email")
);
--> statement-breakpoint
CREATE TABLE "environment_variable_values" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"organization_id" uuid NOT NULL,
	"variable_id" uuid NOT NULL,
	"environment_id" uuid NOT NULL,
	"encrypted_value" text NOT NULL,
	"encryption_key_id" varchar(255) NOT NULL,
	"value_hash" varchar(255) NOT NULL,
	"is_encrypted" boolean DEFAULT true NOT NULL,
	"change_note" varchar(500),
	"last_rotated_at" timestamp with time zone,
	"expires_at" timestamp with time zone,
	"version" integer DEFAULT 1 NOT NULL,
	"created_by" uuid NOT NULL,
	"updated_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "environment_variable_values_var_env_unique" UNIQUE("variable_id","environment_id")
);
--> statement-breakpoint
CREATE TABLE "environment_variables" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"organization_id" uuid NOT NULL,
	"name" varchar(255) NOT NULL,
	"display_name" varchar(255),
	"description" text,
	"variable_type" varchar(50) NOT NULL,
	"security_classification" varchar(20) NOT NULL,
	"is_required" boolean DEFAULT false NOT NULL,
	"is_wedding_critical" boolean DEFAULT false NOT NULL,
	"default_value" text,
	"validation_pattern" varchar(500),
	"metadata" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"tags" text[] DEFAULT '{}'::text[] NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_by" uuid NOT NULL,
	"updated_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"deleted_at" timestamp with time zone,
	"deleted_by" uuid,
	CONSTRAINT "environment_variables_name_check" CHECK ("environment_variables"."name" ~ '^[A-Z][A-Z0-9_]*$'),
	CONSTRAINT "environment_variables_type_check" CHECK ("environment_variables"."variable_type" in ('api_key', 'database_url', 'feature_flag', 'configuration', 'secret')),
	CONSTRAINT "environment_variables_classification_check" CHECK ("environment_variables"."security_classification" in ('public', 'internal', 'confidential', 'wedding_day_critical'))
);
--> statement-breakpoint
CREATE TABLE "security_classifications" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" varchar(50) NOT NULL,
	"display_name" varchar(255) NOT NULL,
	"description" text,
	"encryption_required" boolean DEFAULT true NOT NULL,
	"audit_level" varchar(20) DEFAULT 'detailed' NOT NULL,
	"access_restrictions" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"change_approval_required" boolean DEFAULT false NOT NULL,
	"wedding_day_restrictions" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "security_classifications_name_unique" UNIQUE("name"),
	CONSTRAINT "security_classifications_audit_level_check" CHECK ("security_classifications"."audit_level" in ('basic', 'detailed', 'comprehensive', 'real_time'))
);
--> statement-breakpoint
CREATE TABLE "value_versions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"organization_id" uuid NOT NULL,
	"variable_id" uuid NOT NULL,
	"environment_id" uuid NOT NULL,
	"version" integer NOT NULL,
	"operation" varchar(10) NOT NULL,
	"encrypted_value" text,
	"encryption_key_id" varchar(255),
	"value_hash" varchar(255),
	"note" varchar(500),
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "value_versions_var_env_version_unique" UNIQUE("variable_id","environment_id","version"),
	CONSTRAINT "value_versions_operation_check" CHECK ("value_versions"."operation" in ('set', 'delete'))
);
--> statement-breakpoint
CREATE TABLE "variable_access_policies" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"organization_id" uuid NOT NULL,
	"variable_id" uuid,
	"tag" text,
	"user_id" uuid,
	"role" varchar(100),
	"permission_level" varchar(20) NOT NULL,
	"environment_restrictions" text[],
	"time_restrictions" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"emergency_override" boolean DEFAULT false NOT NULL,
	"granted_by" uuid NOT NULL,
	"granted_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone,
	"is_active" boolean DEFAULT true NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "variable_access_policies_level_check" CHECK ("variable_access_policies"."permission_level" in ('read', 'write', 'admin', 'emergency')),
	CONSTRAINT "variable_access_policies_subject_check" CHECK ("variable_access_policies"."user_id" is not null or "variable_access_policies"."role" is not null)
);
--> statement-breakpoint
CREATE TABLE "variable_validations" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"organization_id" uuid NOT NULL,
	"variable_id" uuid NOT NULL,
	"environment_id" uuid NOT NULL,
	"validation_type" varchar(50) NOT NULL,
	"validation_status" varchar(20) NOT NULL,
	"validation_details" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"error_message" text,
	"validated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"next_validation" timestamp with time zone,
	CONSTRAINT "variable_validations_type_check" CHECK ("variable_validations"."validation_type" in ('format', 'connectivity', 'api_key', 'security')),
	CONSTRAINT "variable_validations_status_check" CHECK ("variable_validations"."validation_status" in ('passed', 'failed', 'warning'))
);
--> statement-breakpoint
ALTER TABLE "environment_variable_audit" ADD CONSTRAINT "environment_variable_audit_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "environment_variable_audit" ADD CONSTRAINT "environment_variable_audit_variable_id_environment_variables_id_fk" FOREIGN KEY ("variable_id") REFERENCES "public"."environment_variables"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "environment_variable_audit" ADD CONSTRAINT "environment_variable_audit_environment_id_environments_id_fk" FOREIGN KEY ("environment_id") REFERENCES "public"."environments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "environment_variable_audit" ADD CONSTRAINT "environment_variable_audit_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "configuration_drift" ADD CONSTRAINT "configuration_drift_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "configuration_drift" ADD CONSTRAINT "configuration_drift_environment_id_environments_id_fk" FOREIGN KEY ("environment_id") REFERENCES "public"."environments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "deployment_syncs" ADD CONSTRAINT "deployment_syncs_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "deployment_syncs" ADD CONSTRAINT "deployment_syncs_environment_id_environments_id_fk" FOREIGN KEY ("environment_id") REFERENCES "public"."environments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "deployment_syncs" ADD CONSTRAINT "deployment_syncs_started_by_users_id_fk" FOREIGN KEY ("started_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "emergency_sessions" ADD CONSTRAINT "emergency_sessions_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "emergency_sessions" ADD CONSTRAINT "emergency_sessions_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "emergency_sessions" ADD CONSTRAINT "emergency_sessions_environment_id_environments_id_fk" FOREIGN KEY ("environment_id") REFERENCES "public"."environments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "environments" ADD CONSTRAINT "environments_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "encryption_keys" ADD CONSTRAINT "encryption_keys_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "memberships" ADD CONSTRAINT "memberships_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "memberships" ADD CONSTRAINT "memberships_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "protection_blackouts" ADD CONSTRAINT "protection_blackouts_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "protection_blackouts" ADD CONSTRAINT "protection_blackouts_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "protection_windows" ADD CONSTRAINT "protection_windows_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "protection_windows" ADD CONSTRAINT "protection_windows_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sessions" ADD CONSTRAINT "sessions_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "environment_variable_values" ADD CONSTRAINT "environment_variable_values_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "environment_variable_values" ADD CONSTRAINT "environment_variable_values_variable_id_environment_variables_id_fk" FOREIGN KEY ("variable_id") REFERENCES "public"."environment_variables"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "environment_variable_values" ADD CONSTRAINT "environment_variable_values_environment_id_environments_id_fk" FOREIGN KEY ("environment_id") REFERENCES "public"."environments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "environment_variable_values" ADD CONSTRAINT "environment_variable_values_encryption_key_id_encryption_keys_key_id_fk" FOREIGN KEY ("encryption_key_id") REFERENCES "public"."encryption_keys"("key_id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "environment_variable_values" ADD CONSTRAINT "environment_variable_values_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "environment_variable_values" ADD CONSTRAINT "environment_variable_values_updated_by_users_id_fk" FOREIGN KEY ("updated_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "environment_variables" ADD CONSTRAINT "environment_variables_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "environment_variables" ADD CONSTRAINT "environment_variables_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "environment_variables" ADD CONSTRAINT "environment_variables_updated_by_users_id_fk" FOREIGN KEY ("updated_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "environment_variables" ADD CONSTRAINT "environment_variables_deleted_by_users_id_fk" FOREIGN KEY ("deleted_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "value_versions" ADD CONSTRAINT "value_versions_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "value_versions" ADD CONSTRAINT "value_versions_variable_id_environment_variables_id_fk" FOREIGN KEY ("variable_id") REFERENCES "public"."environment_variables"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "value_versions" ADD CONSTRAINT "value_versions_environment_id_environments_id_fk" FOREIGN KEY ("environment_id") REFERENCES "public"."environments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "value_versions" ADD CONSTRAINT "value_versions_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "variable_access_policies" ADD CONSTRAINT "variable_access_policies_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "variable_access_policies" ADD CONSTRAINT "variable_access_policies_variable_id_environment_variables_id_fk" FOREIGN KEY ("variable_id") REFERENCES "public"."environment_variables"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "variable_access_policies" ADD CONSTRAINT "variable_access_policies_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "variable_access_policies" ADD CONSTRAINT "variable_access_policies_granted_by_users_id_fk" FOREIGN KEY ("granted_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "variable_validations" ADD CONSTRAINT "variable_validations_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "variable_validations" ADD CONSTRAINT "variable_validations_variable_id_environment_variables_id_fk" FOREIGN KEY ("variable_id") REFERENCES "public"."environment_variables"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "variable_validations" ADD CONSTRAINT "variable_validations_environment_id_environments_id_fk" FOREIGN KEY ("environment_id") REFERENCES "public"."environments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "idx_env_var_audit_org_seq" ON "environment_variable_audit" USING btree ("organization_id","seq");--> statement-breakpoint
CREATE INDEX "idx_env_var_audit_timestamp" ON "environment_variable_audit" USING btree ("organization_id","created_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "idx_env_var_audit_user" ON "environment_variable_audit" USING btree ("user_id","created_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "idx_env_var_audit_variable" ON "environment_variable_audit" USING btree ("variable_id","created_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "idx_config_drift_unresolved" ON "configuration_drift" USING btree ("environment_id","resolved_at") WHERE resolved_at is null;--> statement-breakpoint
CREATE INDEX "idx_deployment_syncs_env_status" ON "deployment_syncs" USING btree ("environment_id","sync_status","started_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "idx_emergency_sessions_user" ON "emergency_sessions" USING btree ("organization_id","user_id","environment_id");--> statement-breakpoint
CREATE INDEX "idx_environment_protection" ON "environments" USING btree ("wedding_day_protection","is_production");--> statement-breakpoint
CREATE INDEX "idx_memberships_user" ON "memberships" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "idx_protection_blackouts_org" ON "protection_blackouts" USING btree ("organization_id","ends_at");--> statement-breakpoint
CREATE INDEX "idx_protection_windows_org" ON "protection_windows" USING btree ("organization_id");--> statement-breakpoint
CREATE INDEX "idx_sessions_user" ON "sessions" USING btree ("user_id","revoked_at");--> statement-breakpoint
CREATE INDEX "idx_env_var_values_env" ON "environment_variable_values" USING btree ("organization_id","environment_id");--> statement-breakpoint
CREATE UNIQUE INDEX "environment_variables_org_name_live" ON "environment_variables" USING btree ("organization_id","name") WHERE deleted_at is null;--> statement-breakpoint
CREATE INDEX "idx_env_vars_org_name" ON "environment_variables" USING btree ("organization_id","name");--> statement-breakpoint
CREATE INDEX "idx_wedding_critical_vars" ON "environment_variables" USING btree ("is_wedding_critical","security_classification");--> statement-breakpoint
CREATE INDEX "idx_env_vars_tags" ON "environment_variables" USING gin ("tags");--> statement-breakpoint
CREATE INDEX "idx_access_policies_user" ON "variable_access_policies" USING btree ("user_id","is_active");--> statement-breakpoint
CREATE INDEX "idx_access_policies_variable" ON "variable_access_policies" USING btree ("variable_id","is_active");--> statement-breakpoint
CREATE INDEX "idx_variable_validations_var_env" ON "variable_validations" USING btree ("variable_id","environment_id","validated_at");