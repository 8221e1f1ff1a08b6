-- System alerts as webhooks (issue 17): each alert's raising and clearing is sent once to the installation's
-- operations endpoint (RINGBEARER_OPS_WEBHOOK_URL), whoever recorded it — the minute's evaluation, the daily
-- integrity checks, or an operator's "Check now" in a web process. The alert job takes what was not yet sent
-- (ops_take_alert_changes, the job runner's proof) each minute and queues one delivery for each. Alerts that
-- exist before this migration count as sent.
ALTER TABLE ops_alerts ADD COLUMN raised_sent_at timestamptz, ADD COLUMN cleared_sent_at timestamptz;
--> statement-breakpoint
DO $$
BEGIN
  PERFORM set_config('ringbearer.ops_alerts', 'record', true);
  UPDATE ops_alerts SET raised_sent_at = raised_at, cleared_sent_at = cleared_at;
  PERFORM set_config('ringbearer.ops_alerts', '', true);
END $$;
--> statement-breakpoint
CREATE INDEX ops_alerts_unsent ON ops_alerts (id)
  WHERE raised_sent_at IS NULL OR (cleared_at IS NOT NULL AND cleared_sent_at IS NULL);
--> statement-breakpoint
CREATE FUNCTION ops_take_alert_changes(proof text)
RETURNS TABLE (id uuid, raised boolean, cleared boolean, rule text, subject text, severity text, message text,
               raised_at timestamptz, cleared_at timestamptz)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
#variable_conflict use_column
BEGIN
  IF proof IS NULL OR NOT EXISTS (SELECT 1 FROM job_runner_keys k
      WHERE k.verifier = encode(sha256(convert_to(proof, 'UTF8')), 'hex')) THEN
    RAISE EXCEPTION 'ops_take_alert_changes: only the job runner takes alert changes' USING ERRCODE = '42501';
  END IF;
  PERFORM set_config('ringbearer.ops_alerts', 'record', true);
  RETURN QUERY
  WITH due AS (
    SELECT a.id, a.raised_sent_at IS NULL AS r, (a.cleared_at IS NOT NULL AND a.cleared_sent_at IS NULL) AS c
      FROM ops_alerts a
     WHERE a.raised_sent_at IS NULL OR (a.cleared_at IS NOT NULL AND a.cleared_sent_at IS NULL)
     ORDER BY a.raised_at
     LIMIT 500
       FOR UPDATE SKIP LOCKED)
  UPDATE ops_alerts a
     SET raised_sent_at = coalesce(a.raised_sent_at, now()),
         cleared_sent_at = CASE WHEN due.c THEN now() ELSE a.cleared_sent_at END
    FROM due WHERE a.id = due.id
  RETURNING a.id, due.r, due.c, a.rule::text, a.subject::text, a.severity::text, a.message, a.raised_at, a.cleared_at;
  PERFORM set_config('ringbearer.ops_alerts', '', true);
END $$;
--> statement-breakpoint
DO $$
DECLARE app text := coalesce(nullif(current_setting('ringbearer.app_role', true), ''), 'ringbearer_app');
BEGIN
  REVOKE ALL ON FUNCTION ops_take_alert_changes(text) FROM PUBLIC;
  EXECUTE format('GRANT EXECUTE ON FUNCTION ops_take_alert_changes(text) TO %I', app);
END $$;
