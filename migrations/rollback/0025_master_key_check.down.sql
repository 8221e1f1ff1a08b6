-- Undoes 0025_master_key_check.
DROP FUNCTION master_key_check(text, text);
DROP POLICY encryption_keys_master_key_check ON encryption_keys;
