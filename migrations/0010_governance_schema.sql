CREATE TABLE "change_request_items" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"organization_id" uuid NOT NULL,
	"change_request_id" uuid NOT NULL,
	"variable_id" uuid NOT NULL,
	"environment_id" uuid NOT NULL,
	"operation" varchar(10) NOT NULL,
	"base_version" integer NOT NULL,
	"base_value_hash" varchar(255),
	"new_encrypted_value" text,
	"encryption_key_id" varchar(255),
	"new_value_hash" varchar(255),
	"validation_status" varchar(20),
	"risk_level" varchar(10) NOT NULL,
	"note" varchar(500),
	CONSTRAINT "change_request_items_request_variable_unique" UNIQUE("change_request_id","variable_id"),
	CONSTRAINT "change_request_items_operation_check" CHECK ("change_request_items"."operation" in ('set', 'delete')),
	CONSTRAINT "change_request_items_value_check" CHECK (("change_request_items"."operation" = 'delete') = ("change_request_items"."new_encrypted_value" is null and "change_request_items"."new_value_hash" is null))
);
--> statement-breakpoint
CREATE TABLE "change_requests" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"organization_id" uuid NOT NULL,
	"environment_id" uuid NOT NULL,
	"requested_by" uuid NOT NULL,
	"source" varchar(20) NOT NULL,
	"reason" text NOT NULL,
	"risk_level" varchar(10) NOT NULL,
	"risk_reasons" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"status" varchar(20) DEFAULT 'pending' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"decided_by" uuid,
	"decided_at" timestamp with time zone,
	"decision_note" varchar(1000),
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "change_requests_status_check" CHECK ("change_requests"."status" in ('pending', 'approved', 'rejected', 'cancelled', 'stale', 'expired')),
	CONSTRAINT "change_requests_source_check" CHECK ("change_requests"."source" in ('edit', 'delete', 'restore', 'promote', 'import', 'drift')),
	CONSTRAINT "change_requests_risk_check" CHECK ("change_requests"."risk_level" in ('LOW', 'MEDIUM', 'HIGH', 'CRITICAL')),
	CONSTRAINT "change_requests_reason_check" CHECK (length("change_requests"."reason") between 10 and 1000),
	CONSTRAINT "change_requests_four_eyes_check" CHECK ("change_requests"."status" not in ('approved', 'rejected') or ("change_requests"."decided_by" is not null and "change_requests"."decided_by" <> "change_requests"."requested_by"))
);
--> statement-breakpoint
CREATE TABLE "invitations" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"organization_id" uuid NOT NULL,
	"email" varchar(320) NOT NULL,
	"role" varchar(32) NOT NULL,
	"token_hash" varchar(64) NOT NULL,
	"invited_by" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"accepted_at" timestamp with time zone,
	"accepted_by" uuid,
	"revoked_at" timestamp with time zone,
	CONSTRAINT "invitations_tokenHash_unique" UNIQUE("token_hash"),
	CONSTRAINT "invitations_role_check" CHECK ("invitations"."role" in ('owner', 'admin', 'lead', 'developer', 'viewer', 'security_reviewer', 'on_call'))
);
--> statement-breakpoint
ALTER TABLE "environment_variable_audit" DROP CONSTRAINT "environment_variable_audit_action_check";--> statement-breakpoint
ALTER TABLE "environment_variable_audit" DROP CONSTRAINT "environment_variable_audit_resource_check";--> statement-breakpoint
ALTER TABLE "sessions" ADD COLUMN "verified_at" timestamp with time zone DEFAULT now() NOT NULL;--> statement-breakpoint
ALTER TABLE "sessions" ADD COLUMN "mfa" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "totp_secret" text;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "totp_enabled_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "totp_last_step" bigint;--> statement-breakpoint
ALTER TABLE "change_request_items" ADD CONSTRAINT "change_request_items_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "change_request_items" ADD CONSTRAINT "change_request_items_change_request_id_change_requests_id_fk" FOREIGN KEY ("change_request_id") REFERENCES "public"."change_requests"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "change_request_items" ADD CONSTRAINT "change_request_items_variable_id_environment_variables_id_fk" FOREIGN KEY ("variable_id") REFERENCES "public"."environment_variables"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "change_request_items" ADD CONSTRAINT "change_request_items_environment_id_environments_id_fk" FOREIGN KEY ("environment_id") REFERENCES "public"."environments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "change_requests" ADD CONSTRAINT "change_requests_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "change_requests" ADD CONSTRAINT "change_requests_environment_id_environments_id_fk" FOREIGN KEY ("environment_id") REFERENCES "public"."environments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "change_requests" ADD CONSTRAINT "change_requests_requested_by_users_id_fk" FOREIGN KEY ("requested_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "change_requests" ADD CONSTRAINT "change_requests_decided_by_users_id_fk" FOREIGN KEY ("decided_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "invitations" ADD CONSTRAINT "invitations_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "invitations" ADD CONSTRAINT "invitations_invited_by_users_id_fk" FOREIGN KEY ("invited_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "invitations" ADD CONSTRAINT "invitations_accepted_by_users_id_fk" FOREIGN KEY ("accepted_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "idx_change_request_items_variable" ON "change_request_items" USING btree ("variable_id","environment_id");--> statement-breakpoint
CREATE INDEX "idx_change_requests_org_status" ON "change_requests" USING btree ("organization_id","status","created_at");--> statement-breakpoint
CREATE INDEX "idx_change_requests_requester" ON "change_requests" USING btree ("organization_id","requested_by","created_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "idx_invitations_org" ON "invitations" USING btree ("organization_id","created_at" DESC NULLS LAST);--> statement-breakpoint
ALTER TABLE "environment_variable_audit" ADD CONSTRAINT "environment_variable_audit_action_check" CHECK ("environment_variable_audit"."action" in ('create', 'read', 'update', 'delete', 'rotate', 'decrypt', 'sync', 'restore', 'login', 'logout', 'export', 'import', 'promote', 'approve', 'reject'));--> statement-breakpoint
ALTER TABLE "environment_variable_audit" ADD CONSTRAINT "environment_variable_audit_resource_check" CHECK ("environment_variable_audit"."resource_type" in ('variable', 'value', 'permission', 'environment', 'organization', 'session', 'settings', 'member', 'change_request', 'invitation'));--> statement-breakpoint
-- Row-level security on the new tenant tables (enabled and forced), and the app role's grants.
DO $$
DECLARE t text;
DECLARE app text := coalesce(nullif(current_setting('ringbearer.app_role', true), ''), 'ringbearer_app');
BEGIN
  FOREACH t IN ARRAY ARRAY['change_requests', 'change_request_items', 'invitations'] LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
    EXECUTE format('CREATE POLICY %I ON %I FOR ALL USING (organization_id = (SELECT app_org_id()))
      WITH CHECK (organization_id = (SELECT app_org_id()))', t || '_organization_access', t);
    EXECUTE format('REVOKE ALL ON %I FROM PUBLIC', t);
  END LOOP;
  EXECUTE format('GRANT SELECT, INSERT, UPDATE ON change_requests, invitations TO %I', app);
  EXECUTE format('GRANT SELECT, INSERT ON change_request_items TO %I', app);
  EXECUTE format('GRANT UPDATE (totp_secret, totp_enabled_at, totp_last_step) ON users TO %I', app);
END $$;
