-- Service tokens (issue 14): what a deploy pipeline or an app presents instead of a person's session. Only the
-- token's keyed hash is stored (HMAC under a key derived from the master key, db/vault.ts), with a short hint for
-- lists. Tenant table: RLS enabled and forced, rows of the current organization only. The app role reads and
-- creates tokens and may change only their revocation and use columns; nobody deletes one (the audit names it, as resource `service_token`).
CREATE TABLE "service_tokens" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"organization_id" uuid NOT NULL,
	"name" varchar(100) NOT NULL,
	"token_hash" varchar(64) NOT NULL,
	"hint" varchar(16) NOT NULL,
	"environment_ids" uuid[] NOT NULL,
	"access" varchar(16) NOT NULL,
	"name_prefix" varchar(255),
	"tag" varchar(64),
	"allowed_cidrs" text[] DEFAULT '{}'::text[] NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"revoked_at" timestamp with time zone,
	"revoked_by" uuid,
	"created_by" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_used_at" timestamp with time zone,
	"last_used_from" varchar(45),
	"use_count" bigint DEFAULT 0 NOT NULL,
	CONSTRAINT "service_tokens_tokenHash_unique" UNIQUE("token_hash"),
	CONSTRAINT "service_tokens_access_check" CHECK ("service_tokens"."access" in ('read', 'read-write')),
	CONSTRAINT "service_tokens_scope_check" CHECK (cardinality("service_tokens"."environment_ids") > 0)
);
--> statement-breakpoint
ALTER TABLE "environment_variable_audit" DROP CONSTRAINT "environment_variable_audit_resource_check";--> statement-breakpoint
ALTER TABLE "service_tokens" ADD CONSTRAINT "service_tokens_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "service_tokens" ADD CONSTRAINT "service_tokens_revoked_by_users_id_fk" FOREIGN KEY ("revoked_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "service_tokens" ADD CONSTRAINT "service_tokens_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "idx_service_tokens_org" ON "service_tokens" USING btree ("organization_id","created_at" DESC NULLS LAST);--> statement-breakpoint
ALTER TABLE "environment_variable_audit" ADD CONSTRAINT "environment_variable_audit_resource_check" CHECK ("environment_variable_audit"."resource_type" in ('variable', 'value', 'permission', 'environment', 'organization', 'session', 'settings', 'member', 'change_request', 'invitation', 'sync_target', 'drift', 'service_token'));
--> statement-breakpoint
DO $$
DECLARE app text := coalesce(nullif(current_setting('ringbearer.app_role', true), ''), 'ringbearer_app');
BEGIN
  ALTER TABLE service_tokens ENABLE ROW LEVEL SECURITY;
  ALTER TABLE service_tokens FORCE ROW LEVEL SECURITY;
  CREATE POLICY service_tokens_organization_access ON service_tokens FOR ALL
    USING (organization_id = (SELECT app_org_id())) WITH CHECK (organization_id = (SELECT app_org_id()));
  -- service_token_by_hash() runs as the owner, before any organization is known: SELECT only, like 0012's lookups.
  EXECUTE format('CREATE POLICY service_tokens_definer_lookup ON service_tokens FOR SELECT TO %I USING (true)', current_user);
  -- A backup reads every row as the owner logged in itself (0023).
  EXECUTE format('CREATE POLICY service_tokens_owner_backup_read ON service_tokens FOR SELECT TO %I USING (session_user = current_user)', current_user);
  REVOKE ALL ON service_tokens FROM PUBLIC;
  EXECUTE format('GRANT SELECT, INSERT ON service_tokens TO %I', app);
  EXECUTE format('GRANT UPDATE (revoked_at, revoked_by, last_used_at, last_used_from, use_count) ON service_tokens TO %I', app);
END $$;
--> statement-breakpoint
-- The token a request presents, found by its keyed hash without a tenant context: what the API needs to decide
-- (its organization, scope, expiry, revocation and address ranges), never another token's row.
CREATE FUNCTION service_token_by_hash(hash text)
RETURNS TABLE (id uuid, organization_id uuid, environment_ids uuid[], access varchar, name_prefix varchar,
               tag varchar, allowed_cidrs text[], expires_at timestamptz, revoked_at timestamptz, created_by uuid)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
  SELECT t.id, t.organization_id, t.environment_ids, t.access, t.name_prefix, t.tag, t.allowed_cidrs, t.expires_at,
         t.revoked_at, t.created_by
    FROM service_tokens t WHERE t.token_hash = hash
$$;
--> statement-breakpoint
DO $$
DECLARE app text := coalesce(nullif(current_setting('ringbearer.app_role', true), ''), 'ringbearer_app');
BEGIN
  EXECUTE 'REVOKE ALL ON FUNCTION service_token_by_hash(text) FROM PUBLIC';
  EXECUTE format('GRANT EXECUTE ON FUNCTION service_token_by_hash(text) TO %I', app);
END $$;
