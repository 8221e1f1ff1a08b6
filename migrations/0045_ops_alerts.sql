-- System alerts of the operator console (issue 17): rules evaluated by a background job over PostgreSQL's own
-- figures and the job queues (lib/ops/alert-rules.ts). An alert is raised once per rule and subject, seen again
-- while its condition holds, cleared when it ends, and acknowledged by an operator meanwhile; cleared alerts
-- stay as history. Only the job runner records them, through ops_record_alerts(proof, …): it proves itself with
-- the key derived from the master key, as for job_contexts (migration 0021). Operators read them and may set
-- only the acknowledgement; a threshold per rule overrides the default (ops_alert_thresholds, operators).
CREATE TABLE ops_alerts (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  rule varchar(64) NOT NULL,
  subject varchar(255) NOT NULL DEFAULT '',
  severity varchar(16) NOT NULL CHECK (severity IN ('warning', 'critical')),
  message text NOT NULL,
  raised_at timestamptz NOT NULL DEFAULT now(),
  last_seen_at timestamptz NOT NULL DEFAULT now(),
  cleared_at timestamptz,
  acknowledged_at timestamptz,
  acknowledged_by varchar(320)
);
--> statement-breakpoint
CREATE UNIQUE INDEX ops_alerts_open ON ops_alerts (rule, subject) WHERE cleared_at IS NULL;
--> statement-breakpoint
CREATE INDEX ops_alerts_raised ON ops_alerts (raised_at DESC);
--> statement-breakpoint
CREATE TABLE ops_alert_thresholds (
  rule varchar(64) PRIMARY KEY,
  threshold double precision NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now(),
  updated_by varchar(320) NOT NULL
);
--> statement-breakpoint
ALTER TABLE ops_alerts ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE ops_alerts FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE ops_alert_thresholds ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE ops_alert_thresholds FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY ops_alerts_read ON ops_alerts FOR SELECT USING (app_is_operator());
--> statement-breakpoint
CREATE POLICY ops_alerts_acknowledge ON ops_alerts FOR UPDATE USING (app_is_operator()) WITH CHECK (app_is_operator());
--> statement-breakpoint
-- Thresholds are no secret: the job reads them (it is no operator); operators alone change them.
CREATE POLICY ops_alert_thresholds_read ON ops_alert_thresholds FOR SELECT USING (true);
--> statement-breakpoint
CREATE POLICY ops_alert_thresholds_operators ON ops_alert_thresholds FOR ALL
  USING (app_is_operator()) WITH CHECK (app_is_operator());
--> statement-breakpoint
CREATE FUNCTION ops_record_alerts(proof text, rules text[], findings jsonb)
RETURNS TABLE (change text, rule text, subject text, severity text, message text)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
#variable_conflict use_column
BEGIN
  IF proof IS NULL OR NOT EXISTS (SELECT 1 FROM job_runner_keys k
      WHERE k.verifier = encode(sha256(convert_to(proof, 'UTF8')), 'hex')) THEN
    RAISE EXCEPTION 'ops_record_alerts: only the job runner records alerts' USING ERRCODE = '42501';
  END IF;
  -- The policy ops_alerts_recorder admits the owner (this function) while this is set, in this transaction.
  PERFORM set_config('ringbearer.ops_alerts', 'record', true);
  RETURN QUERY
  WITH f AS (
    SELECT x.rule, coalesce(x.subject, '') AS subject, x.severity, x.message
      FROM jsonb_to_recordset(findings) AS x(rule text, subject text, severity text, message text)
     WHERE x.rule = ANY (rules)),
  seen AS (
    UPDATE ops_alerts a SET last_seen_at = now(), severity = f.severity, message = f.message
      FROM f WHERE a.cleared_at IS NULL AND a.rule = f.rule AND a.subject = f.subject
    RETURNING a.rule, a.subject),
  raised AS (
    INSERT INTO ops_alerts (rule, subject, severity, message)
    SELECT f.rule, f.subject, f.severity, f.message FROM f
     WHERE NOT EXISTS (SELECT 1 FROM ops_alerts a WHERE a.cleared_at IS NULL AND a.rule = f.rule AND a.subject = f.subject)
    ON CONFLICT (rule, subject) WHERE cleared_at IS NULL DO NOTHING
    RETURNING ops_alerts.rule, ops_alerts.subject, ops_alerts.severity, ops_alerts.message),
  cleared AS (
    UPDATE ops_alerts a SET cleared_at = now()
     WHERE a.cleared_at IS NULL AND a.rule = ANY (rules)
       AND NOT EXISTS (SELECT 1 FROM f WHERE f.rule = a.rule AND f.subject = a.subject)
    RETURNING a.rule, a.subject, a.severity, a.message)
  SELECT 'raised', r.rule::text, r.subject::text, r.severity::text, r.message FROM raised r
  UNION ALL
  SELECT 'cleared', c.rule::text, c.subject::text, c.severity::text, c.message FROM cleared c;
  PERFORM set_config('ringbearer.ops_alerts', '', true);
END $$;
--> statement-breakpoint
DO $$
DECLARE app text := coalesce(nullif(current_setting('ringbearer.app_role', true), ''), 'ringbearer_app');
BEGIN
  EXECUTE format('CREATE POLICY ops_alerts_recorder ON ops_alerts FOR ALL TO %I
                  USING (current_setting(''ringbearer.ops_alerts'', true) = ''record'')
                  WITH CHECK (current_setting(''ringbearer.ops_alerts'', true) = ''record'')', current_user);
  EXECUTE format('CREATE POLICY ops_alerts_owner_backup_read ON ops_alerts FOR SELECT TO %I
                  USING (session_user = current_user)', current_user);
  EXECUTE format('CREATE POLICY ops_alert_thresholds_owner_backup_read ON ops_alert_thresholds FOR SELECT TO %I
                  USING (session_user = current_user)', current_user);
  REVOKE ALL ON ops_alerts, ops_alert_thresholds FROM PUBLIC;
  EXECUTE format('GRANT SELECT ON ops_alerts TO %I', app);
  EXECUTE format('GRANT UPDATE (acknowledged_at, acknowledged_by) ON ops_alerts TO %I', app);
  EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON ops_alert_thresholds TO %I', app);
  REVOKE ALL ON FUNCTION ops_record_alerts(text, text[], jsonb) FROM PUBLIC;
  EXECUTE format('GRANT EXECUTE ON FUNCTION ops_record_alerts(text, text[], jsonb) TO %I', app);
END $$;
