-- Undoes 0041_hash_key_rotation: rotations no longer rotate the hash key. Pending hash keys are dropped (nothing
-- hashes under them before their swap).
DROP TRIGGER configuration_drift_hash_key_gate ON configuration_drift;
--> statement-breakpoint
DROP TRIGGER change_request_items_hash_key_gate ON change_request_items;
--> statement-breakpoint
DROP TRIGGER environment_variable_values_hash_key_gate ON environment_variable_values;
--> statement-breakpoint
DROP FUNCTION hash_key_gate();
--> statement-breakpoint
DROP TRIGGER change_request_items_hash_swap ON change_request_items;
--> statement-breakpoint
DROP TRIGGER value_versions_hash_swap ON value_versions;
--> statement-breakpoint
DROP TRIGGER environment_variable_values_hash_swap_rows ON environment_variable_values;
--> statement-breakpoint
DROP TRIGGER environment_variable_values_hash_swap ON environment_variable_values;
--> statement-breakpoint
DROP FUNCTION refuse_in_hash_swap();
--> statement-breakpoint
DROP FUNCTION analyze_rotation_hashes();
--> statement-breakpoint
DROP FUNCTION guard_hash_swap();
--> statement-breakpoint
DROP TRIGGER change_request_items_rewrap ON change_request_items;
--> statement-breakpoint
CREATE TRIGGER change_request_items_rewrap BEFORE UPDATE ON change_request_items
  FOR EACH ROW EXECUTE FUNCTION guard_key_rewrap('new_encrypted_value', 'encryption_key_id');
--> statement-breakpoint
DROP TRIGGER value_versions_rewrap ON value_versions;
--> statement-breakpoint
CREATE TRIGGER value_versions_rewrap BEFORE UPDATE ON value_versions
  FOR EACH ROW EXECUTE FUNCTION guard_key_rewrap('encrypted_value', 'encryption_key_id');
--> statement-breakpoint
DROP TRIGGER environment_variable_values_rewrap ON environment_variable_values;
--> statement-breakpoint
CREATE TRIGGER environment_variable_values_rewrap BEFORE INSERT OR UPDATE OR DELETE ON environment_variable_values
  FOR EACH ROW WHEN (coalesce(current_setting('ringbearer.key_rotation', true), '') <> '')
  EXECUTE FUNCTION guard_key_rewrap('encrypted_value', 'encryption_key_id');
--> statement-breakpoint
DO $$
DECLARE app text := coalesce(nullif(current_setting('ringbearer.app_role', true), ''), 'ringbearer_app');
BEGIN
  EXECUTE format('REVOKE UPDATE (value_hash) ON value_versions FROM %I', app);
  EXECUTE format('REVOKE UPDATE (new_value_hash, base_value_hash) ON change_request_items FROM %I', app);
END $$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION enforce_key_lifecycle() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER
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
DROP TABLE key_rotation_hashes;
--> statement-breakpoint
ALTER TABLE key_rotations DROP COLUMN hashes_swapped_at;
--> statement-breakpoint
ALTER TABLE key_rotations DROP COLUMN hmac_key_id;
--> statement-breakpoint
-- As the owner, past the table's forced row-level security for these two statements: a pending hash key goes,
-- and hash keys a rotation retired are revoked (the code before 0041 took any hash key that is not revoked).
ALTER TABLE encryption_keys NO FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
DELETE FROM encryption_keys WHERE key_status = 'pending';
--> statement-breakpoint
UPDATE encryption_keys SET key_status = 'revoked' WHERE key_type = 'hmac' AND key_status = 'deprecated';
--> statement-breakpoint
ALTER TABLE encryption_keys FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
DROP INDEX encryption_keys_one_pending_hmac;
--> statement-breakpoint
DROP INDEX encryption_keys_one_active_hmac;
--> statement-breakpoint
ALTER TABLE encryption_keys DROP CONSTRAINT encryption_keys_status_check;
--> statement-breakpoint
ALTER TABLE encryption_keys ADD CONSTRAINT encryption_keys_status_check
  CHECK (key_status IN ('active', 'rotating', 'deprecated', 'revoked'));
