-- Undoes 0052_user_erasure. Rows written as chain v2 cannot be verified by the v1 digest: rolling back past
-- this migration leaves them unverifiable (the verifier would report the first of them as changed).
DROP POLICY IF EXISTS environment_variable_audit_erase ON environment_variable_audit;
DROP POLICY IF EXISTS environment_variable_audit_erase_read ON environment_variable_audit;
DROP POLICY IF EXISTS ops_events_erase ON ops_events;
DROP POLICY IF EXISTS ops_events_erase_read ON ops_events;
DROP FUNCTION IF EXISTS erase_user(uuid);
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
    IF parts IS NOT NULL THEN
      UPDATE audit_chain_heads SET seq = parts[2]::bigint, row_hash = parts[3] WHERE organization_id = parts[1]::uuid;
    END IF;
    INSERT INTO audit_chain_heads VALUES (NEW.organization_id, 0, '') ON CONFLICT DO NOTHING;
    SELECT seq, row_hash INTO head_seq, head_hash FROM audit_chain_heads
     WHERE organization_id = NEW.organization_id FOR UPDATE;
  END IF;
  NEW.seq := head_seq + 1;
  NEW.prev_hash := head_hash;
  NEW.created_at := clock_timestamp();
  NEW.row_hash := audit_row_digest(NEW);
  PERFORM set_config('app.chain_head', NEW.organization_id || '|' || NEW.seq || '|' || NEW.row_hash, true);
  RETURN NEW;
END $$;
CREATE OR REPLACE FUNCTION verify_audit_chain(org uuid)
RETURNS TABLE (checked bigint, broken_seq bigint, broken_id uuid, reason text) LANGUAGE plpgsql STABLE AS $$
DECLARE a environment_variable_audit; expected_prev varchar := ''; expected_seq bigint := 1; n bigint := 0;
  head audit_chain_heads;
BEGIN
  FOR a IN SELECT * FROM environment_variable_audit WHERE organization_id = org ORDER BY seq LOOP
    n := n + 1;
    IF a.seq <> expected_seq THEN
      RETURN QUERY SELECT n, a.seq, a.id, format('row %s is missing before this one', expected_seq); RETURN;
    ELSIF a.prev_hash <> expected_prev THEN
      RETURN QUERY SELECT n, a.seq, a.id, 'link to the previous row does not match'::text; RETURN;
    ELSIF a.row_hash <> audit_row_digest(a) THEN
      RETURN QUERY SELECT n, a.seq, a.id, 'row content does not match its hash'::text; RETURN;
    END IF;
    expected_prev := a.row_hash;
    expected_seq := a.seq + 1;
  END LOOP;
  head := audit_chain_head(org);
  IF coalesce(head.seq, 0) <> expected_seq - 1 OR coalesce(head.row_hash, '') <> expected_prev THEN
    RETURN QUERY SELECT n, expected_seq, NULL::uuid,
      format('rows from %s are missing: the chain head says %s rows, ending in %s', expected_seq,
             coalesce(head.seq, 0), left(coalesce(head.row_hash, ''), 12));
    RETURN;
  END IF;
  RETURN QUERY SELECT n, NULL::bigint, NULL::uuid, NULL::text;
END $$;
CREATE OR REPLACE FUNCTION audit_row_digest(a environment_variable_audit) RETURNS varchar LANGUAGE sql IMMUTABLE AS $$
  SELECT encode(sha256(convert_to(a.prev_hash || '|' || jsonb_build_object(
    'id', a.id, 'organization_id', a.organization_id, 'seq', a.seq, 'variable_id', a.variable_id,
    'environment_id', a.environment_id, 'user_id', a.user_id, 'action', a.action,
    'resource_type', a.resource_type, 'resource_id', a.resource_id,
    'previous_value_hash', a.previous_value_hash, 'new_value_hash', a.new_value_hash,
    'change_details', a.change_details, 'security_context', a.security_context, 'risk_level', a.risk_level,
    'emergency', a.emergency, 'ip_address', host(a.ip_address), 'user_agent', a.user_agent,
    'session_id', a.session_id, 'success', a.success, 'error_message', a.error_message,
    'created_at', to_char(a.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'))::text, 'UTF8')), 'hex')
$$;
DROP FUNCTION IF EXISTS audit_personal_digest(environment_variable_audit) CASCADE;
ALTER TABLE users DROP COLUMN IF EXISTS erased_at;
ALTER TABLE environment_variable_audit DROP COLUMN IF EXISTS erased_at, DROP COLUMN IF EXISTS personal_hash,
  DROP COLUMN IF EXISTS personal_salt, DROP COLUMN IF EXISTS personal_details, DROP COLUMN IF EXISTS chain_version;
