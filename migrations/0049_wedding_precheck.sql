-- The Saturday pre-check (issue 17): before an organization's wedding hours, what its protected environments
-- hold — unresolved drift, failed syncs, missing required variables, credentials due before the window ends,
-- unhealthy integrations, pending change requests — with its data key's due date and the installation's last
-- verified backup. `wedding_precheck_report(starts, ends)` counts them as the owner (like get_environment_health:
-- the same counts for every member, never a name or a value); `record_wedding_precheck` keeps each run and emits
-- one `precheck.completed` webhook event. Scheduled runs (once per window, by the job runner with its proof) and
-- operators' runs come from the job runner; a member with `precheck:run` may ask for one, at most once a minute per window.
--
-- Restore drills (`npm run restore -- --verify`) are recorded in ops_restore_drills, as ops_backups (0048): the
-- pre-check's "last verified backup" is the newest backup a drill restored and verified.
CREATE TABLE ops_restore_drills (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  finished_at timestamptz NOT NULL DEFAULT now(),
  ok boolean NOT NULL,
  folder varchar(255) NOT NULL,
  backup_created_at timestamptz,
  tables integer,
  rows bigint,
  detail text
);
--> statement-breakpoint
CREATE INDEX ops_restore_drills_backup ON ops_restore_drills (backup_created_at DESC) WHERE ok;
--> statement-breakpoint
ALTER TABLE ops_restore_drills ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE ops_restore_drills FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY ops_restore_drills_read ON ops_restore_drills FOR SELECT USING (true);
--> statement-breakpoint
CREATE TABLE wedding_prechecks (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  organization_id uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
  window_starts_at timestamptz NOT NULL,
  window_ends_at timestamptz NOT NULL,
  ran_at timestamptz NOT NULL DEFAULT now(),
  run_trigger varchar(20) NOT NULL CHECK (run_trigger IN ('scheduled', 'on_demand', 'operator')),
  requested_by uuid REFERENCES users(id) ON DELETE SET NULL,
  attention integer NOT NULL,
  report jsonb NOT NULL,
  CHECK (window_ends_at >= window_starts_at)
);
--> statement-breakpoint
CREATE UNIQUE INDEX wedding_prechecks_scheduled ON wedding_prechecks (organization_id, window_starts_at)
  WHERE run_trigger = 'scheduled';
--> statement-breakpoint
CREATE INDEX wedding_prechecks_latest ON wedding_prechecks (organization_id, ran_at DESC);
--> statement-breakpoint
CREATE INDEX wedding_prechecks_requested_by ON wedding_prechecks (requested_by);
--> statement-breakpoint
ALTER TABLE wedding_prechecks ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE wedding_prechecks FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY wedding_prechecks_read ON wedding_prechecks FOR SELECT
  USING ((organization_id = app_org_id() AND app_role() IS NOT NULL) OR app_is_operator());
--> statement-breakpoint
CREATE FUNCTION wedding_precheck_report(starts timestamptz, ends timestamptz) RETURNS jsonb
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  org uuid := app_org_id();
  envs jsonb;
  key_due timestamptz;
  verified timestamptz;
  pending integer;
BEGIN
  IF org IS NULL OR app_role() IS NULL THEN RETURN NULL; END IF;
  SELECT coalesce(jsonb_agg(jsonb_build_object(
           'id', e.id, 'name', e.name,
           'drift', d.open, 'critical_drift', d.critical,
           'failed_syncs', s.failed,
           'missing_required', m.missing,
           'credentials_due', c.due,
           'integrations', i.unhealthy,
           'change_requests', r.pending) ORDER BY e.name), '[]')
    INTO envs
    FROM environments e
    CROSS JOIN LATERAL (SELECT count(*)::int AS open, count(*) FILTER (WHERE cd.drift_severity = 'critical')::int AS critical
                          FROM configuration_drift cd
                         WHERE cd.environment_id = e.id AND cd.resolved_at IS NULL) d
    -- Targets whose latest sync failed.
    CROSS JOIN LATERAL (SELECT count(*)::int AS failed FROM sync_targets t
                          CROSS JOIN LATERAL (SELECT ds.sync_status FROM deployment_syncs ds
                                               WHERE ds.target_id = t.id ORDER BY ds.started_at DESC LIMIT 1) last
                         WHERE t.environment_id = e.id AND last.sync_status = 'failed') s
    CROSS JOIN LATERAL (SELECT count(*)::int AS missing FROM environment_variables ev
                         WHERE ev.organization_id = org AND ev.is_required AND ev.deleted_at IS NULL
                           AND NOT EXISTS (SELECT 1 FROM environment_variable_values v
                                            WHERE v.variable_id = ev.id AND v.environment_id = e.id)) m
    CROSS JOIN LATERAL (SELECT count(*)::int AS due FROM environment_variable_values v
                          JOIN environment_variables ev ON ev.id = v.variable_id
                         WHERE v.environment_id = e.id AND ev.deleted_at IS NULL
                           AND credential_due_at(v.last_rotated_at, v.created_at, ev.rotation_interval_days) < ends) c
    CROSS JOIN LATERAL (SELECT count(*)::int AS unhealthy FROM integration_configs ic
                         WHERE ic.environment_id = e.id AND ic.is_active AND ic.deleted_at IS NULL
                           AND ic.health_status IN ('unhealthy', 'degraded')) i
    CROSS JOIN LATERAL (SELECT count(*)::int AS pending FROM change_requests cr
                         WHERE cr.organization_id = org AND cr.status = 'pending'
                           AND (cr.environment_id = e.id OR EXISTS (SELECT 1 FROM change_request_items it
                                 WHERE it.change_request_id = cr.id AND it.environment_id = e.id))) r
   WHERE e.organization_id = org AND e.wedding_day_protection;
  SELECT count(*)::int INTO pending FROM change_requests cr WHERE cr.organization_id = org AND cr.status = 'pending';
  SELECT k.created_at + make_interval(days => s.data_key_rotation_days) INTO key_due
    FROM encryption_keys k JOIN key_settings s ON s.organization_id = k.organization_id
   WHERE k.organization_id = org AND k.key_type = 'data' AND k.key_status = 'active'
     AND s.data_key_rotation_days IS NOT NULL
     AND NOT EXISTS (SELECT 1 FROM key_rotations kr WHERE kr.organization_id = org AND kr.status IN ('running', 'paused'))
   ORDER BY k.key_version DESC LIMIT 1;
  SELECT max(backup_created_at) INTO verified FROM ops_restore_drills WHERE ok;
  RETURN jsonb_build_object(
    'organization', (SELECT jsonb_build_object('slug', o.slug, 'name', o.name) FROM organizations o WHERE o.id = org),
    'environments', envs,
    'change_requests', pending,
    'data_key_due_at', key_due,
    'data_key_due', key_due IS NOT NULL AND key_due < ends,
    'last_verified_backup_at', verified,
    -- A verified backup from the week before the window opens.
    'backup_verified', verified IS NOT NULL AND verified > starts - interval '7 days');
END $$;
--> statement-breakpoint
CREATE FUNCTION record_wedding_precheck(proof text, kind text, starts timestamptz, ends timestamptz)
RETURNS uuid LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  org uuid := app_org_id();
  result jsonb;
  n integer;
  run uuid;
  by_job boolean := proof IS NOT NULL AND EXISTS (SELECT 1 FROM job_runner_keys k
                      WHERE k.verifier = encode(sha256(convert_to(proof, 'UTF8')), 'hex'));
BEGIN
  IF org IS NULL OR app_role() IS NULL THEN
    RAISE EXCEPTION 'record_wedding_precheck: not a member' USING ERRCODE = '42501';
  END IF;
  IF kind IN ('scheduled', 'operator') AND NOT by_job THEN
    RAISE EXCEPTION 'record_wedding_precheck: only the job runner records % runs', kind USING ERRCODE = '42501';
  END IF;
  IF kind = 'on_demand' AND app_role() NOT IN ('owner', 'admin', 'lead', 'on_call') THEN
    RAISE EXCEPTION 'record_wedding_precheck: the role may not run the pre-check' USING ERRCODE = '42501';
  END IF;
  IF kind IS NULL OR kind NOT IN ('scheduled', 'on_demand', 'operator') OR starts IS NULL OR ends IS NULL OR ends < starts
     OR ends - starts > interval '14 days' OR starts > now() + interval '8 days' OR ends < now() THEN
    RAISE EXCEPTION 'record_wedding_precheck: not a coming window' USING ERRCODE = '22023';
  END IF;
  IF kind = 'scheduled' AND EXISTS (SELECT 1 FROM wedding_prechecks w WHERE w.organization_id = org
       AND w.run_trigger = 'scheduled' AND w.window_starts_at = starts) THEN
    RETURN NULL;
  END IF;
  IF kind = 'on_demand' THEN
    SELECT w.id INTO run FROM wedding_prechecks w
     WHERE w.organization_id = org AND w.run_trigger = 'on_demand' AND w.ran_at > now() - interval '1 minute'
       AND w.window_starts_at = starts AND w.window_ends_at = ends
     ORDER BY w.ran_at DESC LIMIT 1;
    IF run IS NOT NULL THEN RETURN run; END IF;
  END IF;
  result := wedding_precheck_report(starts, ends);
  -- Lines of the checklist that need someone before the window (lib/precheck.ts `checklist`, the same rule).
  SELECT coalesce(bool_or((x->>'drift')::int > 0)::int, 0) + coalesce(bool_or((x->>'failed_syncs')::int > 0)::int, 0)
       + coalesce(bool_or((x->>'missing_required')::int > 0)::int, 0)
       + coalesce(bool_or((x->>'credentials_due')::int > 0)::int, 0)
       + coalesce(bool_or((x->>'integrations')::int > 0)::int, 0)
       + coalesce(bool_or((x->>'change_requests')::int > 0)::int, 0)
    INTO n FROM jsonb_array_elements(result->'environments') x;
  n := n + (CASE WHEN (result->>'data_key_due')::boolean THEN 1 ELSE 0 END)
         + (CASE WHEN (result->>'backup_verified')::boolean THEN 0 ELSE 1 END);
  PERFORM set_config('ringbearer.wedding_precheck', 'record', true);
  INSERT INTO wedding_prechecks (organization_id, window_starts_at, window_ends_at, run_trigger, requested_by,
                                 attention, report)
  VALUES (org, starts, ends, kind, CASE WHEN kind = 'on_demand' THEN app_user_id() END, n, result)
  ON CONFLICT (organization_id, window_starts_at) WHERE run_trigger = 'scheduled' DO NOTHING
  RETURNING id INTO run;
  PERFORM set_config('ringbearer.wedding_precheck', '', true);
  IF run IS NULL THEN RETURN NULL; END IF;
  PERFORM webhook_emit(org, 'precheck.completed', NULL, jsonb_build_object(
    'id', run, 'trigger', kind, 'window_starts_at', starts, 'window_ends_at', ends,
    'attention', n, 'report', result));
  RETURN run;
END $$;
--> statement-breakpoint
DO $$
DECLARE app text := coalesce(nullif(current_setting('ringbearer.app_role', true), ''), 'ringbearer_app');
BEGIN
  EXECUTE format('CREATE POLICY wedding_prechecks_recorder ON wedding_prechecks FOR INSERT TO %I
                  WITH CHECK (current_setting(''ringbearer.wedding_precheck'', true) = ''record'')', current_user);
  EXECUTE format('CREATE POLICY wedding_prechecks_recorder_read ON wedding_prechecks FOR SELECT TO %I
                  USING (current_setting(''ringbearer.wedding_precheck'', true) = ''record'')', current_user);
  EXECUTE format('CREATE POLICY wedding_prechecks_owner_backup_read ON wedding_prechecks FOR SELECT TO %I
                  USING (session_user = current_user)', current_user);
  EXECUTE format('CREATE POLICY ops_restore_drills_owner_record ON ops_restore_drills FOR INSERT TO %I
                  WITH CHECK (session_user = current_user)', current_user);
  EXECUTE format('CREATE POLICY ops_restore_drills_owner_backup_read ON ops_restore_drills FOR SELECT TO %I
                  USING (session_user = current_user)', current_user);
  REVOKE ALL ON wedding_prechecks, ops_restore_drills FROM PUBLIC;
  EXECUTE format('GRANT SELECT ON wedding_prechecks, ops_restore_drills TO %I', app);
  REVOKE ALL ON FUNCTION wedding_precheck_report(timestamptz, timestamptz) FROM PUBLIC;
  REVOKE ALL ON FUNCTION record_wedding_precheck(text, text, timestamptz, timestamptz) FROM PUBLIC;
  EXECUTE format('GRANT EXECUTE ON FUNCTION wedding_precheck_report(timestamptz, timestamptz) TO %I', app);
  EXECUTE format('GRANT EXECUTE ON FUNCTION record_wedding_precheck(text, text, timestamptz, timestamptz) TO %I', app);
END $$;
