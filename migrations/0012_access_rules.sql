-- Access rules: time-of-day restrictions on access policies; looking up and accepting invitations.
--
-- 1. A grant's time_restrictions ({} = always) limit it to ISO days (1 = Monday … 7 = Sunday) and/or a local
--    time range in the organization's time zone, mirroring lib/time-restrictions.ts (tested to agree):
--      days only          → all day on those days
--      from < to          → from (inclusive) to to (exclusive) on each listed day
--      from > to          → overnight: from `from` on a listed day to `to` on the next day
--      from = to, or only one of them, or an empty days list → never (the app refuses to store these)
--    The instant is a parameter so tests can evaluate fixed instants; app_value_permission passes now().
CREATE FUNCTION app_policy_time_ok(restrictions jsonb, tz text, at timestamptz) RETURNS boolean
LANGUAGE sql STABLE AS $$
  SELECT CASE
    WHEN restrictions IS NULL OR restrictions = '{}'::jsonb THEN true
    ELSE (
      WITH p AS (
        SELECT extract(isodow FROM (at AT TIME ZONE tz))::int AS d,
               (at AT TIME ZONE tz)::time AS t,
               CASE WHEN jsonb_typeof(restrictions -> 'days') = 'array'
                    THEN ARRAY(SELECT jsonb_array_elements_text(restrictions -> 'days')::int) END AS days,
               (restrictions ->> 'from')::time AS f,
               (restrictions ->> 'to')::time AS u
      )
      SELECT CASE
        WHEN f IS NULL AND u IS NULL THEN days IS NULL OR d = ANY (days)
        WHEN f IS NULL OR u IS NULL THEN false
        WHEN f < u THEN (days IS NULL OR d = ANY (days)) AND t >= f AND t < u
        WHEN f > u THEN ((days IS NULL OR d = ANY (days)) AND t >= f)
                     OR ((days IS NULL OR (CASE WHEN d = 1 THEN 7 ELSE d - 1 END) = ANY (days)) AND t < u)
        ELSE false END
      FROM p)
  END
$$;
--> statement-breakpoint
-- 0007's app_value_permission (baseline, grants, the emergency-session clause), with each grant's time window
-- checked in the organization's time zone now.
CREATE OR REPLACE FUNCTION app_value_permission(variable uuid, env uuid) RETURNS int LANGUAGE sql STABLE AS $$
  WITH e AS (SELECT id, name, environment_type FROM environments WHERE id = env AND organization_id = app_org_id()),
  r AS (SELECT app_role() AS role),
  o AS (SELECT time_zone FROM organizations WHERE id = app_org_id()),
  g AS (
    SELECT vap.permission_level FROM variable_access_policies vap, e, r, o
     WHERE vap.organization_id = app_org_id() AND vap.is_active
       AND (vap.expires_at IS NULL OR vap.expires_at > now())
       AND (vap.user_id = app_user_id() OR vap.role = r.role)
       AND (vap.variable_id IS NULL OR vap.variable_id = variable)
       AND (vap.tag IS NULL OR vap.tag = ANY (coalesce((SELECT tags FROM environment_variables WHERE id = variable), '{}'::text[])))
       AND (vap.environment_restrictions IS NULL OR e.name = ANY (vap.environment_restrictions))
       AND app_policy_time_ok(vap.time_restrictions, o.time_zone, now()))
  SELECT greatest(
    (SELECT baseline_permission(r.role, e.environment_type) FROM e, r),
    (SELECT max(CASE g.permission_level WHEN 'write' THEN 2 WHEN 'admin' THEN 3 ELSE 1 END) FROM g),
    (SELECT 2 FROM r WHERE app_emergency_ok(env)
        AND (r.role IN ('owner', 'admin', 'on_call') OR EXISTS (SELECT 1 FROM g WHERE g.permission_level = 'emergency'))),
    0)
$$;
