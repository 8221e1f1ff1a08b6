-- Undoes 0043_rewrap_statement_guard: the per-row re-encryption guard of 0037 (with 0041's triggers) and the
-- hash swap's guard as 0041 wrote it.
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
DROP TRIGGER environment_variable_values_rewrap ON environment_variable_values;
--> statement-breakpoint
DROP TRIGGER environment_variable_values_rewrap_rows ON environment_variable_values;
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
DROP FUNCTION guard_key_rewrap_rows();
--> statement-breakpoint
DROP FUNCTION refuse_in_rewrap();
--> statement-breakpoint
CREATE OR REPLACE FUNCTION guard_hash_swap() RETURNS trigger LANGUAGE plpgsql
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
