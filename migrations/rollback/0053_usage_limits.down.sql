-- Undoes 0053_usage_limits: no limits, no usage counters.
DROP TRIGGER IF EXISTS environment_variables_limit ON environment_variables;
DROP TRIGGER IF EXISTS environment_variables_limit_restore ON environment_variables;
DROP TRIGGER IF EXISTS environments_limit ON environments;
DROP TRIGGER IF EXISTS memberships_limit ON memberships;
DROP TRIGGER IF EXISTS service_tokens_limit ON service_tokens;
DROP TRIGGER IF EXISTS service_tokens_count_use ON service_tokens;
DROP TRIGGER IF EXISTS webhook_attempts_count ON webhook_attempts;
DROP POLICY IF EXISTS organizations_usage_listing ON organizations;
DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['environment_variables', 'environments', 'memberships', 'service_tokens',
                           'environment_variable_values', 'value_versions'] LOOP
    EXECUTE format('DROP POLICY IF EXISTS %I ON %I', t || '_usage_count', t);
  END LOOP;
END $$;
DROP FUNCTION IF EXISTS ops_organizations_usage();
DROP FUNCTION IF EXISTS organization_usage(uuid, boolean);
DROP FUNCTION IF EXISTS enforce_count_limit();
DROP FUNCTION IF EXISTS enforce_variable_restore_limit();
DROP FUNCTION IF EXISTS count_api_requests();
DROP FUNCTION IF EXISTS count_webhook_deliveries();
DROP FUNCTION IF EXISTS org_limit(uuid, text);
DROP TABLE IF EXISTS organization_usage_daily;
DROP TABLE IF EXISTS organization_limits;
DROP TABLE IF EXISTS installation_limits;
