-- Start-up check of the master key (issue 12, finding 5): a server started with another RINGBEARER_MASTER_KEY
-- served "healthy" and failed every reveal. master_key_check(fingerprint, proof) tells the app role, without a
-- tenant context, whether the stored key material was made with its key: whether any non-revoked encryption key
-- carries this key's fingerprint, the fingerprints of those that carry another (fingerprints are HMACs of a master
-- key, not the key; the runtime's refusal names them too), and whether the job runner's verifier (0021) matches
-- the proof. Nothing else: no organization, key id or wrapped key. encryption_keys is RLS-forced for its owner
-- too, so, as for job_contexts() (0015), the owner role gets a SELECT-only policy: the function runs as the owner.
DO $$
BEGIN
  EXECUTE format('CREATE POLICY encryption_keys_master_key_check ON encryption_keys FOR SELECT TO %I USING (true)', current_user);
END $$;
--> statement-breakpoint
CREATE FUNCTION master_key_check(fingerprint text, proof text)
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
DO $$
DECLARE app text := coalesce(nullif(current_setting('ringbearer.app_role', true), ''), 'ringbearer_app');
BEGIN
  EXECUTE 'REVOKE ALL ON FUNCTION master_key_check(text, text) FROM PUBLIC';
  EXECUTE format('GRANT EXECUTE ON FUNCTION master_key_check(text, text) TO %I', app);
END $$;
