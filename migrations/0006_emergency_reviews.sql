CREATE TABLE "emergency_reviews" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"organization_id" uuid NOT NULL,
	"emergency_session_id" uuid,
	"audit_id" uuid NOT NULL,
	"actor_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"acknowledged_by" uuid,
	"acknowledged_at" timestamp with time zone,
	"note" varchar(500),
	CONSTRAINT "emergency_reviews_auditId_unique" UNIQUE("audit_id"),
	CONSTRAINT "emergency_reviews_four_eyes_check" CHECK ("emergency_reviews"."acknowledged_by" is null or "emergency_reviews"."acknowledged_by" is distinct from "emergency_reviews"."actor_id")
);
--> statement-breakpoint
ALTER TABLE "emergency_reviews" ADD CONSTRAINT "emergency_reviews_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "emergency_reviews" ADD CONSTRAINT "emergency_reviews_emergency_session_id_emergency_sessions_id_fk" FOREIGN KEY ("emergency_session_id") REFERENCES "public"."emergency_sessions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "emergency_reviews" ADD CONSTRAINT "emergency_reviews_audit_id_environment_variable_audit_id_fk" FOREIGN KEY ("audit_id") REFERENCES "public"."environment_variable_audit"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "emergency_reviews" ADD CONSTRAINT "emergency_reviews_actor_id_users_id_fk" FOREIGN KEY ("actor_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "emergency_reviews" ADD CONSTRAINT "emergency_reviews_acknowledged_by_users_id_fk" FOREIGN KEY ("acknowledged_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "idx_emergency_reviews_open" ON "emergency_reviews" USING btree ("organization_id","acknowledged_at");--> statement-breakpoint
ALTER TABLE emergency_reviews ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE emergency_reviews FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY emergency_reviews_organization_access ON emergency_reviews FOR ALL
  USING (organization_id = (SELECT app_org_id())) WITH CHECK (organization_id = (SELECT app_org_id()));
--> statement-breakpoint
-- Every emergency audit row gets a review item, whoever wrote it: the app cannot skip or delete one.
CREATE FUNCTION open_emergency_review() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
BEGIN
  INSERT INTO emergency_reviews (organization_id, emergency_session_id, audit_id, actor_id)
  VALUES (NEW.organization_id, app_emergency_session_id(), NEW.id, NEW.user_id);
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER environment_variable_audit_emergency_review AFTER INSERT ON environment_variable_audit
  FOR EACH ROW WHEN (NEW.emergency) EXECUTE FUNCTION open_emergency_review();
--> statement-breakpoint
DO $$
DECLARE app text := coalesce(nullif(current_setting('ringbearer.app_role', true), ''), 'ringbearer_app');
BEGIN
  EXECUTE format('REVOKE ALL ON emergency_reviews FROM PUBLIC');
  EXECUTE format('GRANT SELECT, UPDATE (acknowledged_by, acknowledged_at, note) ON emergency_reviews TO %I', app);
END $$;
