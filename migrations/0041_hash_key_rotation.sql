-- Hash-key (HMAC) rotation (issue 16, item 2), in the same job as the data key's. A rotation makes a new HMAC key
-- `pending`: writers keep hashing under the active one, so every value_hash of the organization stays comparable
-- with every other while the job runs. Each batch that decrypts a value to re-encrypt it also records the pair
-- (hash under the active key → hash under the pending key) in key_rotation_hashes. At the end, in one transaction
-- that holds the organization's key lock (below) exclusively, the values written meanwhile are hashed too, every
-- stored hash is swapped through the pairs (values, their history, change-request items, drift findings), and
-- the pending key becomes active. Audit rows keep the hashes of their time (the chain covers them).
--   * The organization's key lock (an advisory lock): every statement that writes values, change-request items
--     or drift findings takes it shared before it touches a row (hash_key_gate below), the swap exclusively, so
--     writes wait while the swap runs, and reads never do. A transaction that loaded the keys names the hash key
--     it hashes under (ringbearer.hash_key, db/vault.ts); if that is no longer the active one when it writes, it
--     is refused as `key_rotated` (try again) instead of writing a hash of the old key after the swap.
--   * guard_hash_swap (below) lets the swap change hash columns, and nothing else.
ALTER TABLE encryption_keys DROP CONSTRAINT encryption_keys_status_check;
--> statement-breakpoint
ALTER TABLE encryption_keys ADD CONSTRAINT encryption_keys_status_check
  CHECK (key_status IN ('pending', 'active', 'rotating', 'deprecated', 'revoked'));
--> statement-breakpoint
CREATE UNIQUE INDEX encryption_keys_one_active_hmac ON encryption_keys (organization_id)
  WHERE key_type = 'hmac' AND key_status = 'active';
--> statement-breakpoint
CREATE UNIQUE INDEX encryption_keys_one_pending_hmac ON encryption_keys (organization_id)
  WHERE key_type = 'hmac' AND key_status = 'pending';
--> statement-breakpoint
-- Fresh planner statistics of the pairs before a swap reads them (the app role may not ANALYZE; autovacuum
-- would come later): without them the pairs of a fresh rotation look like one row, and joining 200,000 values
-- to them ran as a nested loop for minutes.
CREATE FUNCTION analyze_rotation_hashes() RETURNS void LANGUAGE plpgsql SECURITY DEFINER
  SET search_path = public, pg_temp AS $$
BEGIN
  ANALYZE key_rotation_hashes;
END $$;
--> statement-breakpoint
DO $$
DECLARE app text := coalesce(nullif(current_setting('ringbearer.app_role', true), ''), 'ringbearer_app');
BEGIN
  REVOKE ALL ON FUNCTION analyze_rotation_hashes() FROM PUBLIC;
  EXECUTE format('GRANT EXECUTE ON FUNCTION analyze_rotation_hashes() TO %I', app);
END $$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION enforce_key_lifecycle() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER
  SET search_path = public, pg_temp AS $$
BEGIN
  IF NEW.key_status = OLD.key_status THEN RETURN NEW; END IF;
  IF NOT ((OLD.key_status = 'pending' AND NEW.key_status = 'active' AND OLD.key_type = 'hmac')
       OR (OLD.key_status = 'active' AND NEW.key_status = 'rotating')
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
ALTER TABLE key_rotations ADD COLUMN hmac_key_id varchar(255) REFERENCES encryption_keys(key_id);
--> statement-breakpoint
ALTER TABLE key_rotations ADD COLUMN hashes_swapped_at timestamptz;
--> statement-breakpoint
CREATE TABLE key_rotation_hashes (
  rotation_id uuid NOT NULL REFERENCES key_rotations(id) ON DELETE CASCADE,
  organization_id uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
  old_hash varchar(64) NOT NULL,
  new_hash varchar(64) NOT NULL,
  PRIMARY KEY (rotation_id, old_hash)
);
--> statement-breakpoint
DO $$
DECLARE app text := coalesce(nullif(current_setting('ringbearer.app_role', true), ''), 'ringbearer_app');
BEGIN
  ALTER TABLE key_rotation_hashes ENABLE ROW LEVEL SECURITY;
  ALTER TABLE key_rotation_hashes FORCE ROW LEVEL SECURITY;
  CREATE POLICY key_rotation_hashes_access ON key_rotation_hashes FOR ALL
    USING (organization_id = (SELECT app_org_id()) AND (SELECT app_role()) IN ('owner', 'admin'))
    WITH CHECK (organization_id = (SELECT app_org_id()) AND (SELECT app_role()) IN ('owner', 'admin'));
  EXECUTE format('CREATE POLICY key_rotation_hashes_owner_backup_read ON key_rotation_hashes FOR SELECT TO %I USING (session_user = current_user)', current_user);
  REVOKE ALL ON key_rotation_hashes FROM PUBLIC;
  EXECUTE format('GRANT SELECT, INSERT, DELETE ON key_rotation_hashes TO %I', app);
  EXECUTE format('GRANT UPDATE (value_hash) ON value_versions TO %I', app);
  EXECUTE format('GRANT UPDATE (new_value_hash, base_value_hash) ON change_request_items TO %I', app);
END $$;
--> statement-breakpoint
-- The swap rewrites hundreds of thousands of hashes in a few statements: instead of the per-row re-encryption
-- guard, a statement guard checks the whole statement at once (ringbearer.hash_swap = 'on', beside the rotation's
-- own setting): nothing but hash columns changed, each exactly through one of the rotation's recorded pairs, of
-- its organization, while its hash key is pending, in no environment under a wedding lock; no value is inserted
-- or deleted meanwhile. The other value triggers stay off as in any re-encryption.
CREATE FUNCTION guard_hash_swap() RETURNS trigger LANGUAGE plpgsql
  SET plan_cache_mode = force_custom_plan AS $$
DECLARE
  rotation text := coalesce(current_setting('ringbearer.key_rotation', true), '');
  r key_rotations;
  col text;
  others text := '';
  same text;
  bad boolean;
  locked uuid;
BEGIN
  IF TG_OP <> 'UPDATE' THEN
    RAISE EXCEPTION 'key_rewrap: a hash swap only updates hashes' USING ERRCODE = 'RBK03';
  END IF;
  SELECT * INTO r FROM key_rotations WHERE id = nullif(rotation, '')::uuid AND status IN ('running', 'paused');
  IF r.id IS NULL OR r.hmac_key_id IS NULL OR r.hashes_swapped_at IS NOT NULL THEN
    RAISE EXCEPTION 'key_rewrap: hashes change only in a running rotation''s swap to its hash key' USING ERRCODE = 'RBK03';
  END IF;
  FOREACH col IN ARRAY TG_ARGV LOOP
    others := others || format(
      ' OR (o.%1$I IS DISTINCT FROM n.%1$I AND NOT EXISTS (SELECT 1 FROM key_rotation_hashes m
             WHERE m.rotation_id = $1 AND m.old_hash = o.%1$I AND m.new_hash = n.%1$I))', col);
  END LOOP;
  -- Every other column compared as itself (a jsonb image of each row took as long as the update).
  SELECT string_agg(format('o.%1$I IS NOT DISTINCT FROM n.%1$I', a.attname), ' AND ' ORDER BY a.attnum) INTO same
    FROM pg_attribute a
   WHERE a.attrelid = TG_RELID AND a.attnum > 0 AND NOT a.attisdropped AND NOT a.attname = ANY (TG_ARGV);
  EXECUTE format(
    'SELECT EXISTS (SELECT 1 FROM old_rows o FULL JOIN new_rows n ON n.id = o.id
      WHERE o.id IS NULL OR n.id IS NULL OR n.organization_id IS DISTINCT FROM $2 OR NOT (%s)%s)', same, others)
    INTO bad USING r.id, r.organization_id;
  IF bad THEN
    RAISE EXCEPTION 'key_rewrap: a hash swap changes only hashes, each through the rotation''s pairs' USING ERRCODE = 'RBK03';
  END IF;
  SELECT e INTO locked FROM (SELECT DISTINCT environment_id AS e FROM new_rows) x
   WHERE e IS NOT NULL AND app_env_locked(e) AND NOT e = ANY (r.break_glass_environment_ids) LIMIT 1;
  IF locked IS NOT NULL THEN
    RAISE EXCEPTION 'locked:wedding_hours: environment % waits for its window to end', locked USING ERRCODE = 'RBW01';
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE FUNCTION refuse_in_hash_swap() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'key_rewrap: no value is inserted or deleted in a hash swap' USING ERRCODE = 'RBK03';
END $$;
--> statement-breakpoint
DROP TRIGGER environment_variable_values_rewrap ON environment_variable_values;
--> statement-breakpoint
CREATE TRIGGER environment_variable_values_rewrap BEFORE INSERT OR UPDATE OR DELETE ON environment_variable_values
  FOR EACH ROW WHEN (coalesce(current_setting('ringbearer.key_rotation', true), '') <> ''
                     AND coalesce(current_setting('ringbearer.hash_swap', true), '') <> 'on')
  EXECUTE FUNCTION guard_key_rewrap('encrypted_value', 'encryption_key_id');
--> statement-breakpoint
DROP TRIGGER value_versions_rewrap ON value_versions;
--> statement-breakpoint
CREATE TRIGGER value_versions_rewrap BEFORE UPDATE ON value_versions
  FOR EACH ROW WHEN (coalesce(current_setting('ringbearer.hash_swap', true), '') <> 'on')
  EXECUTE FUNCTION guard_key_rewrap('encrypted_value', 'encryption_key_id');
--> statement-breakpoint
DROP TRIGGER change_request_items_rewrap ON change_request_items;
--> statement-breakpoint
CREATE TRIGGER change_request_items_rewrap BEFORE UPDATE ON change_request_items
  FOR EACH ROW WHEN (coalesce(current_setting('ringbearer.hash_swap', true), '') <> 'on')
  EXECUTE FUNCTION guard_key_rewrap('new_encrypted_value', 'encryption_key_id');
--> statement-breakpoint
CREATE TRIGGER environment_variable_values_hash_swap AFTER UPDATE ON environment_variable_values
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT
  WHEN (coalesce(current_setting('ringbearer.hash_swap', true), '') = 'on')
  EXECUTE FUNCTION guard_hash_swap('value_hash');
--> statement-breakpoint
CREATE TRIGGER environment_variable_values_hash_swap_rows BEFORE INSERT OR DELETE ON environment_variable_values
  FOR EACH STATEMENT WHEN (coalesce(current_setting('ringbearer.hash_swap', true), '') = 'on')
  EXECUTE FUNCTION refuse_in_hash_swap();
--> statement-breakpoint
CREATE TRIGGER value_versions_hash_swap AFTER UPDATE ON value_versions
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT
  WHEN (coalesce(current_setting('ringbearer.hash_swap', true), '') = 'on')
  EXECUTE FUNCTION guard_hash_swap('value_hash');
--> statement-breakpoint
CREATE TRIGGER change_request_items_hash_swap AFTER UPDATE ON change_request_items
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT
  WHEN (coalesce(current_setting('ringbearer.hash_swap', true), '') = 'on')
  EXECUTE FUNCTION guard_hash_swap('new_value_hash', 'base_value_hash');
--> statement-breakpoint
CREATE FUNCTION hash_key_gate() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER
  SET search_path = public, pg_temp AS $$
DECLARE
  org uuid := app_org_id();
  used text := coalesce(current_setting('ringbearer.hash_key', true), '');
BEGIN
  IF org IS NULL THEN RETURN NULL; END IF;
  PERFORM pg_advisory_xact_lock_shared(hashtextextended('ringbearer.org-keys:' || org::text, 0));
  IF used <> '' AND NOT EXISTS (SELECT 1 FROM encryption_keys k WHERE k.key_id = used
                                   AND k.organization_id = org AND k.key_status = 'active') THEN
    RAISE EXCEPTION 'key_rotated: hash key % is no longer used for new data; try again', used USING ERRCODE = 'RBK01';
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER environment_variable_values_hash_key_gate BEFORE INSERT OR UPDATE OR DELETE ON environment_variable_values
  FOR EACH STATEMENT WHEN (coalesce(current_setting('ringbearer.key_rotation', true), '') = '')
  EXECUTE FUNCTION hash_key_gate();
--> statement-breakpoint
CREATE TRIGGER change_request_items_hash_key_gate BEFORE INSERT OR UPDATE ON change_request_items
  FOR EACH STATEMENT WHEN (coalesce(current_setting('ringbearer.key_rotation', true), '') = '')
  EXECUTE FUNCTION hash_key_gate();
--> statement-breakpoint
CREATE TRIGGER configuration_drift_hash_key_gate BEFORE INSERT OR UPDATE ON configuration_drift
  FOR EACH STATEMENT EXECUTE FUNCTION hash_key_gate();
