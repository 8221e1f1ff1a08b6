-- Undoes 0003_bulk_writes: per-row policies, per-row value history/audit and chain head update of 0001.
DROP TRIGGER environment_variable_values_audit_insert ON environment_variable_values;
DROP TRIGGER environment_variable_values_audit_update ON environment_variable_values;
DROP TRIGGER environment_variable_values_audit_delete ON environment_variable_values;
DROP FUNCTION log_value_inserts();
DROP FUNCTION log_value_updates();
DROP FUNCTION log_value_deletes();
CREATE TRIGGER environment_variable_values_audit
  AFTER INSERT OR UPDATE OR DELETE ON environment_variable_values
  FOR EACH ROW EXECUTE FUNCTION log_environment_variable_change();
DROP POLICY env_var_values_insert ON environment_variable_values;
DROP POLICY env_var_values_update ON environment_variable_values;
DROP POLICY env_var_values_delete ON environment_variable_values;
CREATE POLICY env_var_values_insert ON environment_variable_values FOR INSERT WITH CHECK (
  organization_id = (SELECT app_org_id()) AND app_value_permission(variable_id, environment_id) >= 2);
CREATE POLICY env_var_values_update ON environment_variable_values FOR UPDATE
  USING (organization_id = (SELECT app_org_id()) AND app_value_permission(variable_id, environment_id) >= 2)
  WITH CHECK (organization_id = (SELECT app_org_id()) AND app_value_permission(variable_id, environment_id) >= 2);
CREATE POLICY env_var_values_delete ON environment_variable_values FOR DELETE
  USING (organization_id = (SELECT app_org_id()) AND app_value_permission(variable_id, environment_id) >= 2);
DROP FUNCTION app_writable_env_ids();
DROP TRIGGER environment_variable_audit_chain_flush ON environment_variable_audit;
DROP FUNCTION audit_chain_flush();
CREATE OR REPLACE FUNCTION audit_chain_append() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
DECLARE head audit_chain_heads;
BEGIN
  INSERT INTO audit_chain_heads VALUES (NEW.organization_id, 0, '') ON CONFLICT DO NOTHING;
  SELECT * INTO head FROM audit_chain_heads WHERE organization_id = NEW.organization_id FOR UPDATE;
  NEW.seq := head.seq + 1;
  NEW.prev_hash := head.row_hash;
  NEW.created_at := clock_timestamp();
  NEW.row_hash := audit_row_digest(NEW);
  UPDATE audit_chain_heads SET seq = NEW.seq, row_hash = NEW.row_hash WHERE organization_id = NEW.organization_id;
  RETURN NEW;
END $$;
