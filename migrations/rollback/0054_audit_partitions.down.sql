-- Undoes 0054_audit_partitions: the audit trail back in one table, its rows kept (audit_table_swap).
SELECT audit_table_swap(false);
CREATE OR REPLACE FUNCTION audit_chain_append() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  parts text[] := string_to_array(nullif(current_setting('app.chain_head', true), ''), '|');
  head_seq bigint;
  head_hash varchar;
BEGIN
  IF parts IS NOT NULL AND parts[1] = NEW.organization_id::text THEN
    head_seq := parts[2]::bigint;
    head_hash := parts[3];
  ELSE
    IF parts IS NOT NULL THEN -- another organization's head is pending in this transaction: write it now
      UPDATE audit_chain_heads SET seq = parts[2]::bigint, row_hash = parts[3] WHERE organization_id = parts[1]::uuid;
    END IF;
    INSERT INTO audit_chain_heads VALUES (NEW.organization_id, 0, '') ON CONFLICT DO NOTHING;
    SELECT seq, row_hash INTO head_seq, head_hash FROM audit_chain_heads
     WHERE organization_id = NEW.organization_id FOR UPDATE;
  END IF;
  NEW.chain_version := 2;
  IF NEW.change_details ? 'email' THEN
    NEW.personal_details := coalesce(NEW.personal_details, '{}'::jsonb)
      || jsonb_build_object('email', NEW.change_details -> 'email');
    NEW.change_details := NEW.change_details - 'email';
  END IF;
  NEW.erased_at := NULL;
  NEW.personal_salt := gen_random_uuid();
  NEW.personal_hash := audit_personal_digest(NEW);
  NEW.seq := head_seq + 1;
  NEW.prev_hash := head_hash;
  NEW.created_at := clock_timestamp();
  NEW.row_hash := audit_row_digest(NEW);
  PERFORM set_config('app.chain_head', NEW.organization_id || '|' || NEW.seq || '|' || NEW.row_hash, true);
  RETURN NEW;
END $$;
CREATE OR REPLACE FUNCTION purge_organization(proof text, org uuid) RETURNS jsonb
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  t text;
  n bigint;
  removed jsonb := '{}';
BEGIN
  IF proof IS NULL OR NOT EXISTS (SELECT 1 FROM job_runner_keys k
      WHERE k.verifier = encode(sha256(convert_to(proof, 'UTF8')), 'hex')) THEN
    RAISE EXCEPTION 'purge_organization: only the job runner purges' USING ERRCODE = '42501';
  END IF;
  IF NOT EXISTS (SELECT 1 FROM organization_deletions d WHERE d.organization_id = org AND d.purge_after <= now()) THEN
    RAISE EXCEPTION 'purge_organization: not deleted, or still within its 30 days' USING ERRCODE = '22023';
  END IF;
  PERFORM set_config('session_replication_role', 'replica', true);
  PERFORM set_config('ringbearer.purge_organization', org::text, true);
  FOR t IN SELECT c.table_name FROM information_schema.columns c
             JOIN information_schema.tables tb ON tb.table_schema = c.table_schema AND tb.table_name = c.table_name
            WHERE c.table_schema = 'public' AND c.column_name = 'organization_id' AND tb.table_type = 'BASE TABLE'
            ORDER BY c.table_name LOOP
    EXECUTE format('DELETE FROM %I WHERE organization_id = $1', t) USING org;
    GET DIAGNOSTICS n = ROW_COUNT;
    IF n > 0 THEN removed := removed || jsonb_build_object(t, n); END IF;
  END LOOP;
  DELETE FROM organizations o WHERE o.id = org;
  PERFORM set_config('ringbearer.purge_organization', '', true);
  PERFORM set_config('session_replication_role', 'origin', true);
  RETURN removed;
END $$;
CREATE OR REPLACE FUNCTION open_emergency_review() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
  INSERT INTO emergency_reviews (organization_id, emergency_session_id, audit_id, actor_id)
  VALUES (NEW.organization_id, app_emergency_session_id(), NEW.id, NEW.user_id);
  RETURN NULL;
END $$;
ALTER TABLE emergency_reviews DROP CONSTRAINT emergency_reviews_audit_unique;
ALTER TABLE emergency_reviews DROP COLUMN audit_created_at;
ALTER TABLE emergency_reviews ADD CONSTRAINT "emergency_reviews_auditId_unique" UNIQUE (audit_id);
DROP FUNCTION audit_ensure_partitions(integer);
DROP FUNCTION audit_partition_create(timestamptz);
DROP FUNCTION audit_table_swap(boolean);
