-- Integrity checks of the operator console (issue 17): a job acting in each organization (job_contexts, under
-- row-level security) counts what should not exist — values, history or change-request items whose variable or
-- environment is not the organization's or is gone, rows sealed by a key the organization does not have —
-- walks the audit chain, and decrypts a sample of values per key version against their hashes. The latest
-- result per organization is kept here, recorded only by the job runner (ops_record_integrity with its proof,
-- as ops_record_alerts in 0045), read by operators. Counts and verdicts only: never a value.
CREATE TABLE ops_integrity_results (
  organization_id uuid PRIMARY KEY REFERENCES organizations(id) ON DELETE CASCADE,
  checked_at timestamptz NOT NULL DEFAULT now(),
  ok boolean NOT NULL,
  result jsonb NOT NULL
);
--> statement-breakpoint
ALTER TABLE ops_integrity_results ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE ops_integrity_results FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY ops_integrity_results_read ON ops_integrity_results FOR SELECT USING (app_is_operator());
--> statement-breakpoint
CREATE FUNCTION ops_record_integrity(proof text, org uuid, passed boolean, report jsonb) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
  IF proof IS NULL OR NOT EXISTS (SELECT 1 FROM job_runner_keys k
      WHERE k.verifier = encode(sha256(convert_to(proof, 'UTF8')), 'hex')) THEN
    RAISE EXCEPTION 'ops_record_integrity: only the job runner records integrity checks' USING ERRCODE = '42501';
  END IF;
  PERFORM set_config('ringbearer.ops_integrity', 'record', true);
  INSERT INTO ops_integrity_results (organization_id, checked_at, ok, result) VALUES (org, now(), passed, report)
  ON CONFLICT (organization_id) DO UPDATE SET checked_at = now(), ok = excluded.ok, result = excluded.result;
  PERFORM set_config('ringbearer.ops_integrity', '', true);
END $$;
--> statement-breakpoint
DO $$
DECLARE app text := coalesce(nullif(current_setting('ringbearer.app_role', true), ''), 'ringbearer_app');
BEGIN
  EXECUTE format('CREATE POLICY ops_integrity_results_recorder ON ops_integrity_results FOR ALL TO %I
                  USING (current_setting(''ringbearer.ops_integrity'', true) = ''record'')
                  WITH CHECK (current_setting(''ringbearer.ops_integrity'', true) = ''record'')', current_user);
  EXECUTE format('CREATE POLICY ops_integrity_results_owner_backup_read ON ops_integrity_results FOR SELECT TO %I
                  USING (session_user = current_user)', current_user);
  REVOKE ALL ON ops_integrity_results FROM PUBLIC;
  EXECUTE format('GRANT SELECT ON ops_integrity_results TO %I', app);
  REVOKE ALL ON FUNCTION ops_record_integrity(text, uuid, boolean, jsonb) FROM PUBLIC;
  EXECUTE format('GRANT EXECUTE ON FUNCTION ops_record_integrity(text, uuid, boolean, jsonb) TO %I', app);
END $$;
