-- Undoes 0040_master_key_rotation: no installation keys (token hashes are derived from the master key again,
-- which gives the same bytes only while the master key is the one they were derived from), no material guard.
CREATE OR REPLACE FUNCTION master_key_check(fingerprint text, proof text)
RETURNS TABLE (matching_keys boolean, other_fingerprints text[], verifier text)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
  SELECT
    EXISTS (SELECT 1 FROM encryption_keys k WHERE k.key_status <> 'revoked' AND k.kek_fingerprint = fingerprint),
    coalesce((SELECT array_agg(DISTINCT k.kek_fingerprint::text ORDER BY k.kek_fingerprint::text) FROM encryption_keys k
               WHERE k.key_status <> 'revoked' AND k.kek_fingerprint <> fingerprint), '{}'::text[]),
    CASE
      WHEN NOT EXISTS (SELECT 1 FROM job_runner_keys) THEN 'absent'
      WHEN EXISTS (SELECT 1 FROM job_runner_keys j
                    WHERE j.verifier = encode(sha256(convert_to(coalesce(proof, ''), 'UTF8')), 'hex')) THEN 'match'
      ELSE 'mismatch'
    END
$$;
--> statement-breakpoint
DROP TRIGGER encryption_keys_material ON encryption_keys;
--> statement-breakpoint
DROP TABLE installation_keys;
--> statement-breakpoint
DROP FUNCTION guard_key_material();
