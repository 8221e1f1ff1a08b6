-- Undoes 0012_access_rules: the invitation functions and their policy; app_value_permission as in 0007.
DROP FUNCTION accept_invitation(varchar, uuid);
DROP FUNCTION invitation_by_token(varchar);
DROP POLICY invitations_definer_lookup ON invitations;
CREATE OR REPLACE FUNCTION app_value_permission(variable uuid, env uuid) RETURNS int LANGUAGE sql STABLE AS $$
  WITH e AS (SELECT id, name, environment_type FROM environments WHERE id = env AND organization_id = app_org_id()),
  r AS (SELECT app_role() AS role),
  g AS (
    SELECT vap.permission_level FROM variable_access_policies vap, e, r
     WHERE vap.organization_id = app_org_id() AND vap.is_active
       AND (vap.expires_at IS NULL OR vap.expires_at > now())
       AND (vap.user_id = app_user_id() OR vap.role = r.role)
       AND (vap.variable_id IS NULL OR vap.variable_id = variable)
       AND (vap.tag IS NULL OR vap.tag = ANY (coalesce((SELECT tags FROM environment_variables WHERE id = variable), '{}'::text[])))
       AND (vap.environment_restrictions IS NULL OR e.name = ANY (vap.environment_restrictions)))
  SELECT greatest(
    (SELECT baseline_permission(r.role, e.environment_type) FROM e, r),
    (SELECT max(CASE g.permission_level WHEN 'write' THEN 2 WHEN 'admin' THEN 3 ELSE 1 END) FROM g),
    (SELECT 2 FROM r WHERE app_emergency_ok(env)
        AND (r.role IN ('owner', 'admin', 'on_call') OR EXISTS (SELECT 1 FROM g WHERE g.permission_level = 'emergency'))),
    0)
$$;
DROP FUNCTION app_policy_time_ok(jsonb, text, timestamptz);
