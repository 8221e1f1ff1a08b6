-- Erasure (issue 17, GDPR): a person's personal data is removed while every audit chain stays verifiable.
--
-- 1. Audit chain v2. A new row's digest no longer covers its personal fields (ip_address, user_agent,
--    session_id, and personal_details: the e-mail addresses a row mentions) but `personal_hash`, a SHA-256 of
--    them under a random per-row salt kept beside them. While they are kept, the verifier checks them against
--    it; erasing nulls them and the salt, and the row still verifies (its digest covers the hash, which without
--    the salt says nothing about what it hashed). Rows written before this migration (chain_version 1) cover
--    their personal fields directly: once erased, such a row is verified by its links (its successor's
--    prev_hash is its row_hash, and the head's), no longer by its content.
ALTER TABLE environment_variable_audit ADD COLUMN chain_version smallint NOT NULL DEFAULT 1;
--> statement-breakpoint
ALTER TABLE environment_variable_audit ALTER COLUMN chain_version SET DEFAULT 2;
--> statement-breakpoint
ALTER TABLE environment_variable_audit ADD COLUMN personal_details jsonb;
--> statement-breakpoint
ALTER TABLE environment_variable_audit ADD COLUMN personal_salt uuid;
--> statement-breakpoint
ALTER TABLE environment_variable_audit ADD COLUMN personal_hash varchar(64);
--> statement-breakpoint
ALTER TABLE environment_variable_audit ADD COLUMN erased_at timestamptz;
--> statement-breakpoint
ALTER TABLE users ADD COLUMN erased_at timestamptz;
--> statement-breakpoint
CREATE FUNCTION audit_personal_digest(a environment_variable_audit) RETURNS varchar LANGUAGE sql IMMUTABLE AS $$
  SELECT encode(sha256(convert_to(a.personal_salt::text || '|' || jsonb_build_object(
    'ip_address', host(a.ip_address), 'user_agent', a.user_agent, 'session_id', a.session_id,
    'details', a.personal_details)::text, 'UTF8')), 'hex')
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION audit_row_digest(a environment_variable_audit) RETURNS varchar LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE WHEN a.chain_version = 1 THEN
  encode(sha256(convert_to(a.prev_hash || '|' || jsonb_build_object(
    'id', a.id, 'organization_id', a.organization_id, 'seq', a.seq, 'variable_id', a.variable_id,
    'environment_id', a.environment_id, 'user_id', a.user_id, 'action', a.action,
    'resource_type', a.resource_type, 'resource_id', a.resource_id,
    'previous_value_hash', a.previous_value_hash, 'new_value_hash', a.new_value_hash,
    'change_details', a.change_details, 'security_context', a.security_context, 'risk_level', a.risk_level,
    'emergency', a.emergency, 'ip_address', host(a.ip_address), 'user_agent', a.user_agent,
    'session_id', a.session_id, 'success', a.success, 'error_message', a.error_message,
    'created_at', to_char(a.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'))::text, 'UTF8')), 'hex')
  ELSE
  encode(sha256(convert_to(a.prev_hash || '|' || jsonb_build_object(
    'chain_version', a.chain_version,
    'id', a.id, 'organization_id', a.organization_id, 'seq', a.seq, 'variable_id', a.variable_id,
    'environment_id', a.environment_id, 'user_id', a.user_id, 'action', a.action,
    'resource_type', a.resource_type, 'resource_id', a.resource_id,
    'previous_value_hash', a.previous_value_hash, 'new_value_hash', a.new_value_hash,
    'change_details', a.change_details, 'security_context', a.security_context, 'risk_level', a.risk_level,
    'emergency', a.emergency, 'personal_hash', a.personal_hash, 'success', a.success,
    'error_message', a.error_message,
    'created_at', to_char(a.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'))::text, 'UTF8')), 'hex')
  END
$$;
--> statement-breakpoint
-- Every new row is v2, whoever writes it. An e-mail address a writer put in change_details moves to
-- personal_details here, so no writer (app, SQL function or trigger) can put one under the digest.
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
--> statement-breakpoint
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
    ELSIF a.chain_version = 1 AND a.erased_at IS NULL AND a.row_hash <> audit_row_digest(a) THEN
      RETURN QUERY SELECT n, a.seq, a.id, 'row content does not match its hash'::text; RETURN;
    ELSIF a.chain_version <> 1 AND a.row_hash <> audit_row_digest(a) THEN
      RETURN QUERY SELECT n, a.seq, a.id, 'row content does not match its hash'::text; RETURN;
    ELSIF a.chain_version <> 1 AND a.personal_salt IS NOT NULL
          AND a.personal_hash IS DISTINCT FROM audit_personal_digest(a) THEN
      RETURN QUERY SELECT n, a.seq, a.id, 'the row''s personal fields do not match their hash'::text; RETURN;
    ELSIF a.chain_version <> 1 AND a.personal_salt IS NULL
          AND (a.ip_address IS NOT NULL OR a.user_agent IS NOT NULL OR a.session_id IS NOT NULL
               OR a.personal_details IS NOT NULL) THEN
      RETURN QUERY SELECT n, a.seq, a.id, 'the row''s personal fields were changed after erasure'::text; RETURN;
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
--> statement-breakpoint
-- 2. erase_user: one transaction, for the person themself (after a step-up, in the app), an operator, or the
--    owner (`npm run ops:erase`). Refused while they are an organization's only owner, or an operator. Then:
--    - in every organization they belong to, a "member removed (erased)" audit row, and the membership goes;
--    - their sessions, CLI sign-ins and personal (CLI) tokens go; invitations to their address go;
--    - every audit row they wrote, and every row that mentions their address, loses its personal fields
--      (triggers are off for this statement only, as for the purge: the append-only trigger would refuse);
--    - the user row keeps its id (what every chain and every created_by refers to) and nothing else of them:
--      name "Erased user", an address at erased.invalid, no password, no second factor, disabled.
--    Returns what was removed, as counts.
CREATE FUNCTION erase_user(target uuid) RETURNS jsonb
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  actor uuid := app_user_id();
  owner_role oid := (SELECT relowner FROM pg_class WHERE oid = 'public.users'::regclass);
  person users;
  alone text;
  m record;
  orgs int := 0;
  n bigint;
  rows_erased bigint := 0;
  sessions_removed bigint;
  logins_removed bigint;
  invitations_removed bigint := 0;
  tokens_revoked bigint := 0;
  prior_org text := current_setting('app.organization_id', true);
  pending text[];
  head_seq bigint;
  head_hash varchar;
BEGIN
  IF NOT (actor = target OR app_is_operator() OR (actor IS NULL AND pg_has_role(session_user, owner_role, 'MEMBER'))) THEN
    RAISE EXCEPTION 'erase_user: only the person, an operator or the owner erases' USING ERRCODE = '42501';
  END IF;
  SELECT * INTO person FROM users u WHERE u.id = target FOR UPDATE;
  IF person.id IS NULL OR person.erased_at IS NOT NULL THEN
    RAISE EXCEPTION 'erase_user: no such person' USING ERRCODE = 'RBE03';
  END IF;
  IF EXISTS (SELECT 1 FROM installation_operators o WHERE o.user_id = target) THEN
    RAISE EXCEPTION 'erase_user: an operator' USING ERRCODE = 'RBE02';
  END IF;
  -- A head the caller's transaction has pending is written back first, in the caller's own context.
  pending := string_to_array(nullif(current_setting('app.chain_head', true), ''), '|');
  IF pending IS NOT NULL THEN
    UPDATE audit_chain_heads h SET seq = pending[2]::bigint, row_hash = pending[3]
     WHERE h.organization_id = pending[1]::uuid;
    PERFORM set_config('app.chain_head', '', true);
  END IF;
  -- From here the person is the context's user (their memberships and sessions are theirs to read); the audit
  -- rows below still name who erased them. Each organization's rows are read under its own policies.
  PERFORM set_config('app.user_id', target::text, true);
  FOR m IN SELECT ms.organization_id, ms.role FROM memberships ms WHERE ms.user_id = target LOOP
    PERFORM set_config('app.organization_id', m.organization_id::text, true);
    IF m.role = 'owner' AND NOT EXISTS (SELECT 1 FROM memberships o WHERE o.organization_id = m.organization_id
        AND o.role = 'owner' AND o.user_id <> target) AND NOT app_org_deleted(m.organization_id) THEN
      SELECT o.name INTO alone FROM organizations o WHERE o.id = m.organization_id;
      RAISE EXCEPTION 'erase_user: the only owner of an organization' USING ERRCODE = 'RBE01', DETAIL = alone;
    END IF;
  END LOOP;
  FOR m IN SELECT ms.organization_id, ms.role FROM memberships ms WHERE ms.user_id = target LOOP
    PERFORM set_config('app.organization_id', m.organization_id::text, true);
    INSERT INTO environment_variable_audit (organization_id, user_id, action, resource_type, resource_id,
      change_details, security_context, risk_level)
    VALUES (m.organization_id, actor, 'delete', 'member', target,
      jsonb_build_object('role', m.role, 'erased', true),
      jsonb_build_object('db_role', session_user, 'via', 'erase_user'), 'HIGH')
    RETURNING seq, row_hash INTO head_seq, head_hash;
    -- The chain's head is written back now, in this organization's context (the deferred write-back at commit
    -- runs in the caller's, whose policies would not admit it).
    UPDATE audit_chain_heads h SET seq = head_seq, row_hash = head_hash WHERE h.organization_id = m.organization_id;
    PERFORM set_config('app.chain_head', '', true);
    DELETE FROM memberships ms WHERE ms.organization_id = m.organization_id AND ms.user_id = target;
    UPDATE service_tokens t SET revoked_at = now(), revoked_by = actor
     WHERE t.organization_id = m.organization_id AND t.created_by = target AND t.kind = 'personal'
       AND t.revoked_at IS NULL;
    GET DIAGNOSTICS n = ROW_COUNT;
    tokens_revoked := tokens_revoked + n;
    orgs := orgs + 1;
  END LOOP;
  FOR m IN SELECT DISTINCT i.organization_id FROM invitations i WHERE lower(i.email) = lower(person.email) LOOP
    PERFORM set_config('app.organization_id', m.organization_id::text, true);
    DELETE FROM invitations i WHERE i.organization_id = m.organization_id AND lower(i.email) = lower(person.email);
    GET DIAGNOSTICS n = ROW_COUNT;
    invitations_removed := invitations_removed + n;
  END LOOP;
  PERFORM set_config('app.organization_id', coalesce(prior_org, ''), true);
  DELETE FROM sessions s WHERE s.user_id = target;
  GET DIAGNOSTICS sessions_removed = ROW_COUNT;
  DELETE FROM cli_logins c WHERE c.decided_by = target;
  GET DIAGNOSTICS logins_removed = ROW_COUNT;
  -- The audit rows, across organizations: the erasure policies below admit the owner to this person's rows
  -- only while triggers are off, which only this function (and the purge) can do.
  PERFORM set_config('ringbearer.erase_user', target::text, true);
  PERFORM set_config('ringbearer.erase_email', lower(person.email), true);
  PERFORM set_config('session_replication_role', 'replica', true);
  UPDATE environment_variable_audit a
     SET ip_address = NULL, user_agent = NULL, session_id = NULL, personal_details = NULL,
         personal_salt = NULL, erased_at = now(),
         change_details = CASE WHEN a.chain_version = 1 AND lower(a.change_details ->> 'email') = lower(person.email)
                               THEN a.change_details || '{"email": "(erased)"}'::jsonb ELSE a.change_details END
   WHERE a.user_id = target
      OR lower(a.personal_details ->> 'email') = lower(person.email)
      OR (a.chain_version = 1 AND lower(a.change_details ->> 'email') = lower(person.email));
  GET DIAGNOSTICS rows_erased = ROW_COUNT;
  -- The operations log names operators and the people they granted by address: pseudonymised the same way.
  UPDATE ops_events e
     SET actor = CASE WHEN lower(e.actor) = lower(person.email) THEN 'erased-' || target || '@erased.invalid' ELSE e.actor END,
         subject = CASE WHEN lower(e.subject) = lower(person.email) THEN 'erased-' || target || '@erased.invalid' ELSE e.subject END
   WHERE lower(e.actor) = lower(person.email) OR lower(e.subject) = lower(person.email);
  PERFORM set_config('session_replication_role', 'origin', true);
  PERFORM set_config('ringbearer.erase_user', '', true);
  PERFORM set_config('ringbearer.erase_email', '', true);
  UPDATE users u
     SET name = 'Erased user', email = 'erased-' || u.id || '@erased.invalid', password_hash = '!',
         totp_secret = NULL, totp_enabled_at = NULL, totp_last_step = NULL,
         disabled_at = coalesce(u.disabled_at, now()), erased_at = now()
   WHERE u.id = target;
  PERFORM set_config('app.user_id', coalesce(actor::text, ''), true);
  RETURN jsonb_build_object('organizations', orgs, 'audit_rows', rows_erased, 'sessions', sessions_removed,
    'cli_logins', logins_removed, 'invitations', invitations_removed, 'personal_tokens', tokens_revoked);
END $$;
--> statement-breakpoint
DO $$
DECLARE
  app text := coalesce(nullif(current_setting('ringbearer.app_role', true), ''), 'ringbearer_app');
BEGIN
  -- (An UPDATE's new rows must pass the SELECT policies too: a row erased in this transaction still qualifies.)
  EXECUTE format('CREATE POLICY environment_variable_audit_erase_read ON environment_variable_audit FOR SELECT TO %I
    USING (current_setting(''session_replication_role'') = ''replica'' AND current_setting(''ringbearer.erase_user'', true) <> ''''
           AND (user_id::text = current_setting(''ringbearer.erase_user'', true)
                OR lower(personal_details ->> ''email'') = current_setting(''ringbearer.erase_email'', true)
                OR (chain_version = 1 AND lower(change_details ->> ''email'') = current_setting(''ringbearer.erase_email'', true))
                OR erased_at = now()))', current_user);
  EXECUTE format('CREATE POLICY environment_variable_audit_erase ON environment_variable_audit FOR UPDATE TO %I
    USING (current_setting(''session_replication_role'') = ''replica'' AND current_setting(''ringbearer.erase_user'', true) <> ''''
           AND (user_id::text = current_setting(''ringbearer.erase_user'', true)
                OR lower(personal_details ->> ''email'') = current_setting(''ringbearer.erase_email'', true)
                OR (chain_version = 1 AND lower(change_details ->> ''email'') = current_setting(''ringbearer.erase_email'', true))))
    WITH CHECK (current_setting(''session_replication_role'') = ''replica'' AND current_setting(''ringbearer.erase_user'', true) <> '''')', current_user);
  EXECUTE format('CREATE POLICY ops_events_erase_read ON ops_events FOR SELECT TO %I
    USING (current_setting(''session_replication_role'') = ''replica'' AND current_setting(''ringbearer.erase_email'', true) <> ''''
           AND (lower(actor) = current_setting(''ringbearer.erase_email'', true)
                OR lower(subject) = current_setting(''ringbearer.erase_email'', true)
                OR actor = ''erased-'' || current_setting(''ringbearer.erase_user'', true) || ''@erased.invalid''
                OR subject = ''erased-'' || current_setting(''ringbearer.erase_user'', true) || ''@erased.invalid''))', current_user);
  EXECUTE format('CREATE POLICY ops_events_erase ON ops_events FOR UPDATE TO %I
    USING (current_setting(''session_replication_role'') = ''replica'' AND current_setting(''ringbearer.erase_email'', true) <> ''''
           AND (lower(actor) = current_setting(''ringbearer.erase_email'', true)
                OR lower(subject) = current_setting(''ringbearer.erase_email'', true)))
    WITH CHECK (current_setting(''session_replication_role'') = ''replica'' AND current_setting(''ringbearer.erase_email'', true) <> '''')', current_user);
  REVOKE ALL ON FUNCTION erase_user(uuid) FROM PUBLIC;
  EXECUTE format('GRANT EXECUTE ON FUNCTION erase_user(uuid) TO %I', app);
END $$;
