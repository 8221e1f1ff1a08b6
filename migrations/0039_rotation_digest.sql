-- Issue 16, credential rotation reminders: the weekly digest. `credential_rotation_digest()` (the job runs it
-- in each organization's job context, an owner or admin) emits one `credentials.rotation_due` webhook event
-- naming the credentials due now or within the next 7 days — variable and environment names and dates, never a
-- value — when any is, and any endpoint subscribes. Returns how many it named.
CREATE FUNCTION credential_rotation_digest() RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  org uuid := app_org_id();
  n integer;
  due jsonb;
BEGIN
  IF org IS NULL OR coalesce(app_role(), '') NOT IN ('owner', 'admin') THEN RETURN 0; END IF;
  SELECT count(*),
         coalesce(jsonb_agg(jsonb_build_object('variable', d.variable, 'environment', d.environment,
                    'due_at', d.due_at, 'overdue', d.due_at <= now()) ORDER BY d.due_at, d.environment, d.variable)
                    FILTER (WHERE d.rank <= 500), '[]')
    INTO n, due
    FROM (SELECT ev.name AS variable, e.name AS environment,
                 coalesce(evv.last_rotated_at, evv.created_at) + make_interval(days => ev.rotation_interval_days) AS due_at,
                 row_number() OVER (ORDER BY coalesce(evv.last_rotated_at, evv.created_at)
                                              + make_interval(days => ev.rotation_interval_days)) AS rank
            FROM environment_variable_values evv
            JOIN environment_variables ev ON ev.id = evv.variable_id
            JOIN environments e ON e.id = evv.environment_id
           WHERE evv.organization_id = org AND ev.deleted_at IS NULL AND ev.rotation_interval_days IS NOT NULL
             AND coalesce(evv.last_rotated_at, evv.created_at) + make_interval(days => ev.rotation_interval_days)
                 <= now() + interval '7 days') d;
  IF n = 0 THEN RETURN 0; END IF;
  PERFORM webhook_emit(org, 'credentials.rotation_due', NULL,
    jsonb_build_object('count', n, 'overdue', (SELECT count(*) FROM jsonb_array_elements(due) x WHERE (x->>'overdue')::boolean),
                       'credentials', due, 'listed', jsonb_array_length(due)));
  RETURN n;
END $$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION credential_rotation_digest() FROM PUBLIC;
--> statement-breakpoint
DO $$
DECLARE app text := coalesce(nullif(current_setting('ringbearer.app_role', true), ''), 'ringbearer_app');
BEGIN
  EXECUTE format('GRANT EXECUTE ON FUNCTION credential_rotation_digest() TO %I', app);
END $$;
