-- Soft-deleted variables are restorable for 90 days; then a job destroys their encrypted values and history
-- (the variable row stays, marked purged, so the audit trail keeps its references).
-- The app role has no DELETE on value_versions: only the function below (running as the schema owner) can
-- use this policy, and only for the current organization's variables past retention.
CREATE POLICY value_versions_purge ON value_versions FOR DELETE USING (
  organization_id = (SELECT app_org_id())
  AND variable_id IN (SELECT id FROM environment_variables
                       WHERE organization_id = (SELECT app_org_id())
                         AND deleted_at < now() - interval '90 days'));
--> statement-breakpoint
CREATE FUNCTION purge_deleted_variables() RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
DECLARE ids uuid[];
BEGIN
  IF app_org_id() IS NULL OR app_role() NOT IN ('owner', 'admin') THEN
    RAISE EXCEPTION 'purge needs an owner or admin context' USING ERRCODE = '42501';
  END IF;
  -- Variables with a value in an environment locked for wedding hours wait for the next run.
  SELECT coalesce(array_agg(v.id), '{}') INTO ids FROM environment_variables v
   WHERE v.organization_id = app_org_id() AND v.purged_at IS NULL
     AND v.deleted_at < now() - interval '90 days'
     AND NOT EXISTS (SELECT 1 FROM environment_variable_values x
                      WHERE x.variable_id = v.id AND app_env_locked(x.environment_id));
  IF cardinality(ids) = 0 THEN RETURN 0; END IF;
  PERFORM set_config('app.change_note', 'purged 90 days after deletion', true);
  DELETE FROM environment_variable_values WHERE variable_id = ANY (ids);
  DELETE FROM value_versions WHERE variable_id = ANY (ids);
  DELETE FROM variable_validations WHERE variable_id = ANY (ids);
  UPDATE environment_variables SET purged_at = now() WHERE id = ANY (ids);
  INSERT INTO environment_variable_audit (organization_id, variable_id, user_id, action, resource_type,
    resource_id, change_details, security_context)
  SELECT v.organization_id, v.id, app_user_id(), 'delete', 'variable', v.id,
         jsonb_build_object('name', v.name, 'purged', true, 'deleted_at', v.deleted_at),
         jsonb_build_object('db_role', session_user, 'via', 'purge_job')
    FROM environment_variables v WHERE v.id = ANY (ids) ORDER BY v.name;
  RETURN cardinality(ids);
END $$;
