ALTER TABLE "sync_targets" ADD COLUMN "auto_push" boolean DEFAULT false NOT NULL;--> statement-breakpoint
-- A push left running by a console process that stopped is failed first, so at most one per target remains.
ALTER TABLE deployment_syncs NO FORCE ROW LEVEL SECURITY;--> statement-breakpoint
UPDATE deployment_syncs SET sync_status = 'failed', completed_at = now(),
       error_log = ARRAY['Abandoned: the console stopped before this push finished']
 WHERE sync_status IN ('pending', 'in_progress');--> statement-breakpoint
ALTER TABLE deployment_syncs FORCE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE UNIQUE INDEX "deployment_syncs_one_running" ON "deployment_syncs" USING btree ("target_id") WHERE "deployment_syncs"."sync_status" in ('pending', 'in_progress');--> statement-breakpoint
CREATE INDEX "idx_deployment_syncs_target" ON "deployment_syncs" USING btree ("target_id","started_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "idx_value_versions_env_created" ON "value_versions" USING btree ("environment_id","created_at" DESC NULLS LAST);--> statement-breakpoint
-- A push's progress arrives live: one NOTIFY per statement and organization, counts only.
CREATE FUNCTION notify_syncs() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE r record;
BEGIN
  FOR r IN SELECT organization_id, count(*) AS n, bool_or(sync_status IN ('pending', 'in_progress')) AS running
             FROM changed GROUP BY organization_id LOOP
    PERFORM pg_notify('ringbearer_changes', json_build_object('org', r.organization_id, 'kind', 'sync',
      'count', r.n, 'running', r.running)::text);
  END LOOP;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER deployment_syncs_notify_insert AFTER INSERT ON deployment_syncs
  REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION notify_syncs();
--> statement-breakpoint
CREATE TRIGGER deployment_syncs_notify_update AFTER UPDATE ON deployment_syncs
  REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION notify_syncs();
