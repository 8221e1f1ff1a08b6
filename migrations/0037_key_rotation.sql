-- Issue 16: online rotation of an organization's data key (DEK). A new key version is active for new writes at
-- once; a job re-encrypts what older versions sealed, in batches, while the console stays usable.
--
-- key_settings: per organization, the oldest data-key version that may still decrypt, and the rotation interval.
CREATE TABLE "key_settings" (
	"organization_id" uuid PRIMARY KEY NOT NULL REFERENCES "organizations"("id") ON DELETE cascade,
	"min_decryption_version" integer DEFAULT 1 NOT NULL,
	"data_key_rotation_days" integer,
	"updated_by" uuid REFERENCES "users"("id"),
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "key_settings_min_version_check" CHECK ("min_decryption_version" >= 1),
	CONSTRAINT "key_settings_interval_check" CHECK ("data_key_rotation_days" BETWEEN 1 AND 3650)
);
--> statement-breakpoint
-- One row per rotation: its progress, kept by the job batch by batch (processed = succeeded + failed).
-- break_glass_environment_ids: protected environments whose break-glass session was open when it started; their
-- rows are re-encrypted during wedding hours, any other locked environment's rows wait for the window to end.
CREATE TABLE "key_rotations" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"organization_id" uuid NOT NULL REFERENCES "organizations"("id") ON DELETE cascade,
	"data_key_id" varchar(255) NOT NULL REFERENCES "encryption_keys"("key_id"),
	"from_key_ids" text[] NOT NULL,
	"status" varchar(20) NOT NULL,
	"status_reason" varchar(300),
	"break_glass_environment_ids" uuid[] DEFAULT '{}'::uuid[] NOT NULL,
	"total" integer NOT NULL,
	"processed" integer DEFAULT 0 NOT NULL,
	"succeeded" integer DEFAULT 0 NOT NULL,
	"failed" integer DEFAULT 0 NOT NULL,
	"started_by" uuid NOT NULL REFERENCES "users"("id"),
	"started_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone,
	CONSTRAINT "key_rotations_status_check" CHECK ("status" in ('running', 'paused', 'completed', 'failed')),
	CONSTRAINT "key_rotations_counts_check" CHECK ("processed" = "succeeded" + "failed" AND "failed" >= 0 AND "succeeded" >= 0)
);
--> statement-breakpoint
CREATE UNIQUE INDEX "key_rotations_one_open" ON "key_rotations" ("organization_id") WHERE "status" in ('running', 'paused');
--> statement-breakpoint
CREATE INDEX "idx_key_rotations_org" ON "key_rotations" ("organization_id", "started_at");
--> statement-breakpoint
-- What could not be re-encrypted (a ciphertext that does not authenticate): named, never retried by the same
-- rotation, and the reason the old key stays in use.
CREATE TABLE "key_rotation_failures" (
	"rotation_id" uuid NOT NULL REFERENCES "key_rotations"("id") ON DELETE cascade,
	"organization_id" uuid NOT NULL REFERENCES "organizations"("id") ON DELETE cascade,
	"store" varchar(40) NOT NULL,
	"row_id" uuid NOT NULL,
	"reason" varchar(200) NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	PRIMARY KEY ("rotation_id", "store", "row_id")
);
--> statement-breakpoint
DO $$
DECLARE t text;
DECLARE app text := coalesce(nullif(current_setting('ringbearer.app_role', true), ''), 'ringbearer_app');
BEGIN
  FOREACH t IN ARRAY ARRAY['key_settings', 'key_rotations', 'key_rotation_failures'] LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
    EXECUTE format('CREATE POLICY %I ON %I FOR SELECT USING (organization_id = (SELECT app_org_id()))', t || '_read', t);
    EXECUTE format('CREATE POLICY %I ON %I FOR INSERT WITH CHECK (organization_id = (SELECT app_org_id()) AND (SELECT app_role()) IN (''owner'', ''admin''))', t || '_insert', t);
    EXECUTE format('CREATE POLICY %I ON %I FOR UPDATE USING (organization_id = (SELECT app_org_id()) AND (SELECT app_role()) IN (''owner'', ''admin'')) WITH CHECK (organization_id = (SELECT app_org_id()))', t || '_update', t);
    EXECUTE format('CREATE POLICY %I ON %I FOR SELECT TO %I USING (session_user = current_user)', t || '_owner_backup_read', t, current_user);
    EXECUTE format('REVOKE ALL ON %I FROM PUBLIC', t);
  END LOOP;
  EXECUTE format('GRANT SELECT, INSERT, UPDATE ON key_settings, key_rotations, key_rotation_failures TO %I', app);
  -- Re-encryption rewrites these two columns of history and of pending change requests (guarded below).
  EXECUTE format('GRANT UPDATE (encrypted_value, encryption_key_id) ON value_versions TO %I', app);
  EXECUTE format('GRANT UPDATE (new_encrypted_value, encryption_key_id) ON change_request_items TO %I', app);
  -- The owner (the SECURITY DEFINER functions below) locks key rows and counts the rows each key seals.
  EXECUTE format('CREATE POLICY encryption_keys_definer ON encryption_keys FOR ALL TO %I USING (true) WITH CHECK (true)', current_user);
  FOREACH t IN ARRAY ARRAY['value_versions', 'change_request_items', 'sync_targets'] LOOP
    EXECUTE format('CREATE POLICY %I ON %I FOR SELECT TO %I USING (true)', t || '_definer_read', t, current_user);
  END LOOP;
END $$;
--> statement-breakpoint
CREATE POLICY value_versions_rewrap ON value_versions FOR UPDATE
  USING (organization_id = (SELECT app_org_id())) WITH CHECK (organization_id = (SELECT app_org_id()));
--> statement-breakpoint
-- An OAuth attempt is updated by the person who started it (0036); a re-encryption by an owner or admin's job.
CREATE POLICY integration_oauth_states_rewrap ON integration_oauth_states FOR UPDATE
  USING (organization_id = (SELECT app_org_id()) AND (SELECT app_role()) IN ('owner', 'admin')
         AND coalesce(current_setting('ringbearer.key_rotation', true), '') <> '')
  WITH CHECK (organization_id = (SELECT app_org_id()));
--> statement-breakpoint
CREATE INDEX "idx_env_var_values_key" ON "environment_variable_values" ("encryption_key_id", "id");
--> statement-breakpoint
CREATE INDEX "idx_value_versions_key" ON "value_versions" ("encryption_key_id", "id");
--> statement-breakpoint
-- change_request_items has one FOR ALL organization policy (0010): UPDATE was simply not granted.
--
-- A re-encryption: the transaction names its rotation (`ringbearer.key_rotation`, transaction-local). Only the
-- ciphertext and its key id may change, to the rotation's key, from another key; a row of an environment under
-- its wedding lock only when the rotation started under break-glass for it. Inserts and deletes are refused.
-- Value rows skip their audit, history, live, webhook and approval triggers for it (nothing a user sees changed);
-- the job writes one audit row per rotation instead. History and change-request rows may change no other way.
CREATE FUNCTION guard_key_rewrap() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  rotation text := coalesce(current_setting('ringbearer.key_rotation', true), '');
  value_col text := TG_ARGV[0];
  key_col text := TG_ARGV[1];
  before jsonb;
  after jsonb;
  r key_rotations;
  env uuid;
BEGIN
  IF TG_OP <> 'UPDATE' THEN
    RAISE EXCEPTION 'key_rewrap: a re-encryption only updates rows' USING ERRCODE = 'RBK03';
  END IF;
  IF rotation = '' THEN
    RAISE EXCEPTION 'key_rewrap: % rows change only by re-encryption', TG_TABLE_NAME USING ERRCODE = 'RBK03';
  END IF;
  before := to_jsonb(OLD);
  after := to_jsonb(NEW);
  IF (after - value_col - key_col) IS DISTINCT FROM (before - value_col - key_col) THEN
    RAISE EXCEPTION 'key_rewrap: a re-encryption changes only the ciphertext and its key' USING ERRCODE = 'RBK03';
  END IF;
  SELECT * INTO r FROM key_rotations WHERE id = rotation::uuid AND status IN ('running', 'paused');
  IF r.id IS NULL OR r.organization_id::text IS DISTINCT FROM after->>'organization_id'
     OR r.data_key_id IS DISTINCT FROM after->>key_col OR (before->>key_col) = (after->>key_col) THEN
    RAISE EXCEPTION 'key_rewrap: not a re-encryption to the running rotation''s key' USING ERRCODE = 'RBK03';
  END IF;
  env := (after->>'environment_id')::uuid;
  IF env IS NOT NULL AND app_env_locked(env) AND NOT env = ANY (r.break_glass_environment_ids) THEN
    RAISE EXCEPTION 'locked:wedding_hours: environment % waits for its window to end', env USING ERRCODE = 'RBW01';
  END IF;
  RETURN NEW;
END $$;
--> statement-breakpoint
CREATE TRIGGER environment_variable_values_rewrap BEFORE INSERT OR UPDATE OR DELETE ON environment_variable_values
  FOR EACH ROW WHEN (coalesce(current_setting('ringbearer.key_rotation', true), '') <> '')
  EXECUTE FUNCTION guard_key_rewrap('encrypted_value', 'encryption_key_id');
--> statement-breakpoint
CREATE TRIGGER value_versions_rewrap BEFORE UPDATE ON value_versions
  FOR EACH ROW EXECUTE FUNCTION guard_key_rewrap('encrypted_value', 'encryption_key_id');
--> statement-breakpoint
CREATE TRIGGER change_request_items_rewrap BEFORE UPDATE ON change_request_items
  FOR EACH ROW EXECUTE FUNCTION guard_key_rewrap('new_encrypted_value', 'encryption_key_id');
--> statement-breakpoint
-- The value triggers, again, each skipped inside a re-encryption.
DROP TRIGGER environment_variable_values_wedding_lock ON environment_variable_values;
--> statement-breakpoint
CREATE TRIGGER environment_variable_values_wedding_lock BEFORE INSERT OR UPDATE OR DELETE ON environment_variable_values
  FOR EACH ROW WHEN (coalesce(current_setting('ringbearer.key_rotation', true), '') = '')
  EXECUTE FUNCTION enforce_wedding_lock_on_values();
--> statement-breakpoint
DROP TRIGGER environment_variable_values_audit_update ON environment_variable_values;
--> statement-breakpoint
CREATE TRIGGER environment_variable_values_audit_update AFTER UPDATE ON environment_variable_values
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT
  WHEN (coalesce(current_setting('ringbearer.key_rotation', true), '') = '') EXECUTE FUNCTION log_value_updates();
--> statement-breakpoint
DROP TRIGGER environment_variable_values_notify_update ON environment_variable_values;
--> statement-breakpoint
CREATE TRIGGER environment_variable_values_notify_update AFTER UPDATE ON environment_variable_values
  REFERENCING NEW TABLE AS changed FOR EACH STATEMENT
  WHEN (coalesce(current_setting('ringbearer.key_rotation', true), '') = '') EXECUTE FUNCTION notify_value_changes();
--> statement-breakpoint
DROP TRIGGER environment_variable_values_approval_update ON environment_variable_values;
--> statement-breakpoint
CREATE TRIGGER environment_variable_values_approval_update AFTER UPDATE ON environment_variable_values
  REFERENCING OLD TABLE AS previous NEW TABLE AS changed FOR EACH STATEMENT
  WHEN (coalesce(current_setting('ringbearer.key_rotation', true), '') = '') EXECUTE FUNCTION enforce_value_approval();
--> statement-breakpoint
DROP TRIGGER environment_variable_values_version_update ON environment_variable_values;
--> statement-breakpoint
CREATE TRIGGER environment_variable_values_version_update AFTER UPDATE ON environment_variable_values
  REFERENCING NEW TABLE AS changed FOR EACH STATEMENT
  WHEN (coalesce(current_setting('ringbearer.key_rotation', true), '') = '') EXECUTE FUNCTION bump_value_version();
--> statement-breakpoint
DROP TRIGGER environment_variable_values_webhook_update ON environment_variable_values;
--> statement-breakpoint
CREATE TRIGGER environment_variable_values_webhook_update AFTER UPDATE ON environment_variable_values
  REFERENCING OLD TABLE AS before_change NEW TABLE AS changed FOR EACH STATEMENT
  WHEN (coalesce(current_setting('ringbearer.key_rotation', true), '') = '') EXECUTE FUNCTION webhook_value_changes();
--> statement-breakpoint
-- Writes seal under a key that is active, or being rotated away from: the key row is locked (FOR KEY SHARE) for
-- the rest of the transaction, so a rotation cannot declare the old key unused (FOR UPDATE, then a count) while a
-- write under it is in flight, and a write that comes after finds it deprecated and is refused (try again).
CREATE FUNCTION enforce_usable_keys() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER
  SET search_path = public, pg_temp SET plan_cache_mode = force_custom_plan AS $$
DECLARE
  col text;
  stale text;
BEGIN
  FOREACH col IN ARRAY TG_ARGV LOOP
    EXECUTE format($q$
      WITH used AS (SELECT DISTINCT %1$I AS key_id FROM changed_rows WHERE %1$I IS NOT NULL),
           usable AS (SELECT k.key_id FROM encryption_keys k WHERE k.key_id IN (SELECT key_id FROM used)
                        AND k.key_status IN ('active', 'rotating') FOR KEY SHARE)
      SELECT min(key_id) FROM used WHERE key_id NOT IN (SELECT key_id FROM usable)$q$, col) INTO stale;
    IF stale IS NOT NULL THEN
      RAISE EXCEPTION 'key_rotated: encryption key % is no longer used for new data; try again', stale
        USING ERRCODE = 'RBK01';
    END IF;
  END LOOP;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER environment_variable_values_usable_keys_insert AFTER INSERT ON environment_variable_values
  REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION enforce_usable_keys('encryption_key_id');
--> statement-breakpoint
CREATE TRIGGER environment_variable_values_usable_keys_update AFTER UPDATE ON environment_variable_values
  REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION enforce_usable_keys('encryption_key_id');
--> statement-breakpoint
CREATE TRIGGER change_request_items_usable_keys AFTER INSERT ON change_request_items
  REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION enforce_usable_keys('encryption_key_id');
--> statement-breakpoint
CREATE TRIGGER sync_targets_usable_keys_insert AFTER INSERT ON sync_targets
  REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION enforce_usable_keys('encryption_key_id');
--> statement-breakpoint
CREATE TRIGGER sync_targets_usable_keys_update AFTER UPDATE ON sync_targets
  REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION enforce_usable_keys('encryption_key_id');
--> statement-breakpoint
CREATE TRIGGER webhook_endpoints_usable_keys_insert AFTER INSERT ON webhook_endpoints
  REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT
  EXECUTE FUNCTION enforce_usable_keys('encryption_key_id', 'previous_encryption_key_id');
--> statement-breakpoint
CREATE TRIGGER webhook_endpoints_usable_keys_update AFTER UPDATE ON webhook_endpoints
  REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT
  EXECUTE FUNCTION enforce_usable_keys('encryption_key_id', 'previous_encryption_key_id');
--> statement-breakpoint
CREATE TRIGGER integration_oauth_states_usable_keys AFTER INSERT ON integration_oauth_states
  REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION enforce_usable_keys('encryption_key_id');
--> statement-breakpoint
-- How many rows of every store a data key still seals (past row-level security: a count, nothing else), for
-- the revoke check and the rotation's end. For the caller's organization only.
CREATE FUNCTION data_key_use(key text) RETURNS bigint LANGUAGE sql STABLE SECURITY DEFINER
  SET search_path = public, pg_temp AS $$
  SELECT CASE WHEN NOT EXISTS (SELECT 1 FROM encryption_keys k WHERE k.key_id = key AND k.organization_id = app_org_id())
    THEN 0 ELSE
      (SELECT count(*) FROM environment_variable_values WHERE encryption_key_id = key)
    + (SELECT count(*) FROM value_versions WHERE encryption_key_id = key)
    + (SELECT count(*) FROM change_request_items WHERE encryption_key_id = key)
    + (SELECT count(*) FROM sync_targets WHERE encryption_key_id = key)
    + (SELECT count(*) FROM webhook_endpoints WHERE encryption_key_id = key OR previous_encryption_key_id = key)
    + (SELECT count(*) FROM integration_oauth_states WHERE encryption_key_id = key) END
$$;
--> statement-breakpoint
-- A data key's life: active → rotating (a newer version took over) → deprecated (nothing uses it) → revoked
-- (never decrypts again). Revoking is refused while any row still uses it, and only a deprecated key can be.
CREATE FUNCTION enforce_key_lifecycle() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER
  SET search_path = public, pg_temp AS $$
BEGIN
  IF NEW.key_status = OLD.key_status THEN RETURN NEW; END IF;
  IF NOT ((OLD.key_status = 'active' AND NEW.key_status = 'rotating')
       OR (OLD.key_status = 'rotating' AND NEW.key_status = 'deprecated')
       OR (OLD.key_status = 'deprecated' AND NEW.key_status = 'revoked')) THEN
    RAISE EXCEPTION 'key_lifecycle: a % key cannot become %', OLD.key_status, NEW.key_status USING ERRCODE = 'RBK02';
  END IF;
  IF NEW.key_status IN ('deprecated', 'revoked') AND OLD.key_type = 'data' AND (
       EXISTS (SELECT 1 FROM environment_variable_values WHERE encryption_key_id = OLD.key_id)
    OR EXISTS (SELECT 1 FROM value_versions WHERE encryption_key_id = OLD.key_id)
    OR EXISTS (SELECT 1 FROM change_request_items WHERE encryption_key_id = OLD.key_id)
    OR EXISTS (SELECT 1 FROM sync_targets WHERE encryption_key_id = OLD.key_id)
    OR EXISTS (SELECT 1 FROM webhook_endpoints WHERE encryption_key_id = OLD.key_id OR previous_encryption_key_id = OLD.key_id)
    OR EXISTS (SELECT 1 FROM integration_oauth_states WHERE encryption_key_id = OLD.key_id)) THEN
    RAISE EXCEPTION 'key_in_use: encryption key % still seals data', OLD.key_id USING ERRCODE = 'RBK02';
  END IF;
  RETURN NEW;
END $$;
--> statement-breakpoint
CREATE TRIGGER encryption_keys_lifecycle BEFORE UPDATE OF key_status ON encryption_keys
  FOR EACH ROW EXECUTE FUNCTION enforce_key_lifecycle();
--> statement-breakpoint
-- A rotation's progress as a live event (kind `keys`): when it starts, changes status, and at most once a second
-- while it runs (a batch takes a tenth of one). Figures only, never a key.
CREATE FUNCTION notify_key_rotation() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' OR NEW.status IS DISTINCT FROM OLD.status
     OR date_trunc('second', NEW.updated_at) IS DISTINCT FROM date_trunc('second', OLD.updated_at) THEN
    PERFORM pg_notify('ringbearer_changes', json_build_object('org', NEW.organization_id, 'kind', 'keys',
      'count', 1, 'id', NEW.id, 'status', NEW.status, 'processed', NEW.processed, 'total', NEW.total)::text);
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER key_rotations_notify AFTER INSERT OR UPDATE ON key_rotations
  FOR EACH ROW EXECUTE FUNCTION notify_key_rotation();
--> statement-breakpoint
ALTER TABLE "environment_variable_audit" DROP CONSTRAINT "environment_variable_audit_resource_check";--> statement-breakpoint
ALTER TABLE "environment_variable_audit" ADD CONSTRAINT "environment_variable_audit_resource_check" CHECK ("environment_variable_audit"."resource_type" in ('variable', 'value', 'permission', 'environment', 'organization', 'session', 'settings', 'member', 'change_request', 'invitation', 'sync_target', 'drift', 'service_token', 'webhook', 'destination', 'integration', 'encryption_key')) NOT VALID;
