-- Master key (KEK) rotation (issue 16, item 3). `npm run keys:rotate-master` rewraps, as the owner role, every key
-- the master key wraps: the organizations' data and HMAC keys, and the installation keys below. Values are not
-- touched. Two things make that safe:
--   * installation_keys: keys of the installation, not of an organization, wrapped by the master key. The first
--     is `token-hash`, the key service tokens, invitations, CLI logins and OAuth states are kept as keyed hashes
--     under: it was derived from the master key itself (so a new master key would have orphaned every stored
--     token); the migrator now stores the very same bytes wrapped, and they outlive any master key. The app
--     role reads the wrapped bytes (useless without the master key) and cannot write them.
--   * guard_key_material: a key's wrapped bytes change only together with the fingerprint of the master key that
--     wraps them, and nothing else of the row changes then: no UPDATE can swap an organization's key material
--     for other bytes under the same master key.
-- master_key_check() also looks at installation keys, so a server with another master key is refused even
-- before the first organization exists.
CREATE TABLE installation_keys (
  purpose varchar(50) PRIMARY KEY CHECK (purpose IN ('token-hash')),
  wrapped_key text NOT NULL,
  kek_fingerprint varchar(16) NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  rewrapped_at timestamptz
);
--> statement-breakpoint
REVOKE ALL ON installation_keys FROM PUBLIC;
--> statement-breakpoint
DO $$
DECLARE app text := coalesce(nullif(current_setting('ringbearer.app_role', true), ''), 'ringbearer_app');
BEGIN
  EXECUTE format('GRANT SELECT ON installation_keys TO %I', app);
END $$;
--> statement-breakpoint
CREATE FUNCTION guard_key_material() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.wrapped_key IS DISTINCT FROM OLD.wrapped_key OR NEW.kek_fingerprint IS DISTINCT FROM OLD.kek_fingerprint THEN
    IF NEW.kek_fingerprint = OLD.kek_fingerprint OR NEW.wrapped_key = OLD.wrapped_key
       OR (to_jsonb(NEW) - 'wrapped_key' - 'kek_fingerprint' - 'rewrapped_at')
          IS DISTINCT FROM (to_jsonb(OLD) - 'wrapped_key' - 'kek_fingerprint' - 'rewrapped_at') THEN
      RAISE EXCEPTION 'key_material: a key is only rewrapped, by another master key, with nothing else changed'
        USING ERRCODE = 'RBK02';
    END IF;
  END IF;
  RETURN NEW;
END $$;
--> statement-breakpoint
CREATE TRIGGER encryption_keys_material BEFORE UPDATE ON encryption_keys
  FOR EACH ROW EXECUTE FUNCTION guard_key_material();
--> statement-breakpoint
CREATE TRIGGER installation_keys_material BEFORE UPDATE ON installation_keys
  FOR EACH ROW EXECUTE FUNCTION guard_key_material();
--> statement-breakpoint
CREATE OR REPLACE FUNCTION master_key_check(fingerprint text, proof text)
RETURNS TABLE (matching_keys boolean, other_fingerprints text[], verifier text)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
  WITH wrapped AS (
    SELECT k.kek_fingerprint::text AS fp FROM encryption_keys k WHERE k.key_status <> 'revoked'
    UNION ALL
    SELECT i.kek_fingerprint::text FROM installation_keys i
  )
  SELECT
    EXISTS (SELECT 1 FROM wrapped w WHERE w.fp = fingerprint),
    coalesce((SELECT array_agg(DISTINCT w.fp ORDER BY w.fp) FROM wrapped w WHERE w.fp <> fingerprint), '{}'::text[]),
    CASE
      WHEN NOT EXISTS (SELECT 1 FROM job_runner_keys) THEN 'absent'
      WHEN EXISTS (SELECT 1 FROM job_runner_keys j
                    WHERE j.verifier = encode(sha256(convert_to(coalesce(proof, ''), 'UTF8')), 'hex')) THEN 'match'
      ELSE 'mismatch'
    END
$$;
