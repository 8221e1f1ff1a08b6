-- Bulk writes (imports, promotions of thousands of values) in one transaction.
--
-- 1. The audit chain head is read (and locked) once per transaction and carried in a transaction-local
--    setting; a deferred constraint trigger writes it back once, for the transaction's last row. Updating
--    the one head row per audit row made a 10,000-row transaction quadratic (each update walks the row's
--    growing version chain). Locking is unchanged: the first row of a transaction locks the head until commit.
CREATE OR REPLACE FUNCTION audit_chain_append() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
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
  NEW.seq := head_seq + 1;
  NEW.prev_hash := head_hash;
  NEW.created_at := clock_timestamp();
  NEW.row_hash := audit_row_digest(NEW);
  PERFORM set_config('app.chain_head', NEW.organization_id || '|' || NEW.seq || '|' || NEW.row_hash, true);
  RETURN NEW;
END $$;
--> statement-breakpoint
CREATE FUNCTION audit_chain_flush() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
DECLARE parts text[] := string_to_array(nullif(current_setting('app.chain_head', true), ''), '|');
BEGIN
  IF parts IS NOT NULL AND parts[1] = NEW.organization_id::text AND parts[2]::bigint = NEW.seq THEN
    UPDATE audit_chain_heads SET seq = NEW.seq, row_hash = NEW.row_hash WHERE organization_id = NEW.organization_id;
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE CONSTRAINT TRIGGER environment_variable_audit_chain_flush AFTER INSERT ON environment_variable_audit
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION audit_chain_flush();
--> statement-breakpoint
-- 2. Value writes check the environments the caller may write once per statement (like reads already do);
--    the per-row function only runs for grants scoped to one variable or tag.
CREATE FUNCTION app_writable_env_ids() RETURNS uuid[] LANGUAGE sql STABLE AS $$
  SELECT coalesce(array_agg(e.id), '{}') FROM environments e
   WHERE e.organization_id = app_org_id() AND app_value_permission(NULL, e.id) >= 2
$$;
--> statement-breakpoint
DROP POLICY env_var_values_insert ON environment_variable_values;
--> statement-breakpoint
DROP POLICY env_var_values_update ON environment_variable_values;
--> statement-breakpoint
DROP POLICY env_var_values_delete ON environment_variable_values;
--> statement-breakpoint
CREATE POLICY env_var_values_insert ON environment_variable_values FOR INSERT WITH CHECK (
  organization_id = (SELECT app_org_id())
  AND (environment_id = ANY ((SELECT app_writable_env_ids())::uuid[]) OR app_value_permission(variable_id, environment_id) >= 2));
--> statement-breakpoint
CREATE POLICY env_var_values_update ON environment_variable_values FOR UPDATE
  USING (organization_id = (SELECT app_org_id())
    AND (environment_id = ANY ((SELECT app_writable_env_ids())::uuid[]) OR app_value_permission(variable_id, environment_id) >= 2))
  WITH CHECK (organization_id = (SELECT app_org_id())
    AND (environment_id = ANY ((SELECT app_writable_env_ids())::uuid[]) OR app_value_permission(variable_id, environment_id) >= 2));
--> statement-breakpoint
CREATE POLICY env_var_values_delete ON environment_variable_values FOR DELETE
  USING (organization_id = (SELECT app_org_id())
    AND (environment_id = ANY ((SELECT app_writable_env_ids())::uuid[]) OR app_value_permission(variable_id, environment_id) >= 2));
--> statement-breakpoint
-- 3. Value history and value audit rows are written per statement from transition tables (one INSERT …
--    SELECT each), not per row: same rows, same content, a fraction of the cost for thousands of values.
CREATE FUNCTION log_value_inserts() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
BEGIN
  INSERT INTO value_versions (organization_id, variable_id, environment_id, version, operation,
                              encrypted_value, encryption_key_id, value_hash, note, created_by)
  SELECT n.organization_id, n.variable_id, n.environment_id, n.version, 'set', n.encrypted_value,
         n.encryption_key_id, n.value_hash, n.change_note, app_user_id()
    FROM new_rows n ORDER BY n.variable_id;
  INSERT INTO environment_variable_audit (organization_id, variable_id, environment_id, user_id, action,
    resource_type, resource_id, previous_value_hash, new_value_hash, change_details, security_context,
    risk_level, emergency, ip_address, user_agent, session_id)
  SELECT n.organization_id, n.variable_id, n.environment_id, app_user_id(), 'create', 'value', n.id, NULL,
    n.value_hash,
    jsonb_build_object('table', TG_TABLE_NAME, 'operation', TG_OP, 'version', n.version,
      'changed_fields', NULL, 'note', n.change_note),
    jsonb_build_object('db_role', session_user, 'via', CASE WHEN app_user_id() IS NULL THEN 'direct_sql' ELSE 'app' END),
    nullif(current_setting('app.risk_level', true), ''), app_emergency_session_id() IS NOT NULL,
    coalesce(nullif(current_setting('app.ip', true), '')::inet, inet_client_addr()),
    nullif(current_setting('app.user_agent', true), ''), nullif(current_setting('app.session_id', true), '')
    FROM new_rows n ORDER BY n.variable_id;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE FUNCTION log_value_updates() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
BEGIN
  INSERT INTO value_versions (organization_id, variable_id, environment_id, version, operation,
                              encrypted_value, encryption_key_id, value_hash, note, created_by)
  SELECT n.organization_id, n.variable_id, n.environment_id, n.version, 'set', n.encrypted_value,
         n.encryption_key_id, n.value_hash, n.change_note, app_user_id()
    FROM new_rows n ORDER BY n.variable_id;
  INSERT INTO environment_variable_audit (organization_id, variable_id, environment_id, user_id, action,
    resource_type, resource_id, previous_value_hash, new_value_hash, change_details, security_context,
    risk_level, emergency, ip_address, user_agent, session_id)
  SELECT n.organization_id, n.variable_id, n.environment_id, app_user_id(), 'update', 'value', n.id,
    o.value_hash, n.value_hash,
    jsonb_build_object('table', TG_TABLE_NAME, 'operation', TG_OP, 'version', n.version,
      'changed_fields', to_jsonb(array_remove(ARRAY[
        CASE WHEN n.value_hash IS DISTINCT FROM o.value_hash THEN 'value' END,
        CASE WHEN n.encryption_key_id IS DISTINCT FROM o.encryption_key_id THEN 'encryption_key_id' END,
        CASE WHEN n.expires_at IS DISTINCT FROM o.expires_at THEN 'expires_at' END,
        CASE WHEN n.validation_status IS DISTINCT FROM o.validation_status THEN 'validation_status' END,
        CASE WHEN n.change_note IS DISTINCT FROM o.change_note THEN 'change_note' END], NULL)),
      'note', n.change_note),
    jsonb_build_object('db_role', session_user, 'via', CASE WHEN app_user_id() IS NULL THEN 'direct_sql' ELSE 'app' END),
    nullif(current_setting('app.risk_level', true), ''), app_emergency_session_id() IS NOT NULL,
    coalesce(nullif(current_setting('app.ip', true), '')::inet, inet_client_addr()),
    nullif(current_setting('app.user_agent', true), ''), nullif(current_setting('app.session_id', true), '')
    FROM new_rows n JOIN old_rows o ON o.id = n.id ORDER BY n.variable_id;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE FUNCTION log_value_deletes() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
DECLARE note text := nullif(current_setting('app.change_note', true), '');
BEGIN
  INSERT INTO value_versions (organization_id, variable_id, environment_id, version, operation,
                              encrypted_value, encryption_key_id, value_hash, note, created_by)
  SELECT o.organization_id, o.variable_id, o.environment_id, o.version + 1, 'delete', NULL, NULL, NULL, note,
         app_user_id()
    FROM old_rows o ORDER BY o.variable_id;
  INSERT INTO environment_variable_audit (organization_id, variable_id, environment_id, user_id, action,
    resource_type, resource_id, previous_value_hash, new_value_hash, change_details, security_context,
    risk_level, emergency, ip_address, user_agent, session_id)
  SELECT o.organization_id, o.variable_id, o.environment_id, app_user_id(), 'delete', 'value', o.id,
    o.value_hash, NULL,
    jsonb_build_object('table', TG_TABLE_NAME, 'operation', TG_OP, 'version', o.version + 1,
      'changed_fields', NULL, 'note', note),
    jsonb_build_object('db_role', session_user, 'via', CASE WHEN app_user_id() IS NULL THEN 'direct_sql' ELSE 'app' END),
    nullif(current_setting('app.risk_level', true), ''), app_emergency_session_id() IS NOT NULL,
    coalesce(nullif(current_setting('app.ip', true), '')::inet, inet_client_addr()),
    nullif(current_setting('app.user_agent', true), ''), nullif(current_setting('app.session_id', true), '')
    FROM old_rows o ORDER BY o.variable_id;
  RETURN NULL;
END $$;
--> statement-breakpoint
DROP TRIGGER environment_variable_values_audit ON environment_variable_values;
--> statement-breakpoint
CREATE TRIGGER environment_variable_values_audit_insert AFTER INSERT ON environment_variable_values
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION log_value_inserts();
--> statement-breakpoint
CREATE TRIGGER environment_variable_values_audit_update AFTER UPDATE ON environment_variable_values
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION log_value_updates();
--> statement-breakpoint
CREATE TRIGGER environment_variable_values_audit_delete AFTER DELETE ON environment_variable_values
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION log_value_deletes();
