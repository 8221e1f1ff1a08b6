-- Bulk writes whose speed does not depend on the plans a session made earlier (resilience review, finding 4).
--
-- 1. The statement-level triggers that read a statement's rows (transition tables) keep one plan per session.
--    Planned for the few rows of a connection's first edits, on nearly empty tables, the value gate's plan put
--    the organization's variables outside and rescanned the statement's rows once per variable, running the
--    per-row gate functions each time: a 1,000-line import into an organization of 1,000 variables made a
--    million gate checks (minutes), a 10,000-line one a hundred million. Now these triggers plan each run for
--    the rows and tables they have (plan_cache_mode = force_custom_plan on the function), and the gate reads
--    the statement's rows once, looking each row's variable and environment up by key, whatever the planner
--    estimates (an organization's variables filtered by RLS are estimated at one row on a fresh database), and
--    runs its per-row functions only on the HIGH or CRITICAL rows.
CREATE OR REPLACE FUNCTION enforce_value_approval() RETURNS trigger LANGUAGE plpgsql
SET plan_cache_mode = force_custom_plan AS $$
DECLARE
  op text := CASE TG_OP WHEN 'DELETE' THEN 'delete' ELSE 'set' END;
  blocked record;
BEGIN
  IF app_user_id() IS NULL THEN RETURN NULL; END IF;
  -- The statement's rows drive: each looks up its variable and environment by primary key (a LATERAL
  -- subquery with LIMIT is never turned into a join the planner could reorder), so the rows are read once
  -- whatever the estimates; the per-row gate functions run only on the HIGH or CRITICAL rows (materialized).
  IF TG_OP = 'UPDATE' THEN
    WITH risky AS MATERIALIZED (
      SELECT c.variable_id, c.environment_id, c.encrypted_value, c.encryption_key_id, c.value_hash,
             p.version AS base, x.name, x.env
        FROM changed c JOIN previous p ON p.id = c.id
        CROSS JOIN LATERAL (
          SELECT v.name, e.name AS env,
                 value_change_risk(v.security_classification, v.is_wedding_critical, e.environment_type, op) AS risk
            FROM environment_variables v, environments e
           WHERE v.id = c.variable_id AND e.id = c.environment_id
           LIMIT 1) x
       WHERE (c.value_hash IS DISTINCT FROM p.value_hash OR c.encrypted_value IS DISTINCT FROM p.encrypted_value
              OR c.encryption_key_id IS DISTINCT FROM p.encryption_key_id)
         AND x.risk >= 2)
    SELECT r.name, r.env INTO blocked FROM risky r
     WHERE NOT app_emergency_ok(r.environment_id)
       AND NOT app_change_request_admits(r.variable_id, r.environment_id, op, r.encrypted_value,
                                         r.encryption_key_id, r.value_hash, r.base)
     LIMIT 1;
  ELSE
    WITH risky AS MATERIALIZED (
      SELECT c.variable_id, c.environment_id, c.encrypted_value, c.encryption_key_id, c.value_hash,
             CASE WHEN op = 'delete' THEN c.version ELSE 0 END AS base, x.name, x.env
        FROM changed c
        CROSS JOIN LATERAL (
          SELECT v.name, e.name AS env, v.deleted_at,
                 value_change_risk(v.security_classification, v.is_wedding_critical, e.environment_type, op) AS risk
            FROM environment_variables v, environments e
           WHERE v.id = c.variable_id AND e.id = c.environment_id
           LIMIT 1) x
       WHERE NOT (op = 'delete' AND x.deleted_at < now() - interval '90 days')
         AND x.risk >= 2)
    SELECT r.name, r.env INTO blocked FROM risky r
     WHERE NOT app_emergency_ok(r.environment_id)
       AND NOT app_change_request_admits(r.variable_id, r.environment_id, op, r.encrypted_value,
                                         r.encryption_key_id, r.value_hash, r.base)
     LIMIT 1;
  END IF;
  IF FOUND THEN
    RAISE EXCEPTION 'approval_required: changing % in % is HIGH or CRITICAL risk and needs an approved change request', blocked.name, blocked.env
      USING ERRCODE = 'RBR01';
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
ALTER FUNCTION log_value_inserts() SET plan_cache_mode = force_custom_plan;
--> statement-breakpoint
ALTER FUNCTION log_value_updates() SET plan_cache_mode = force_custom_plan;
--> statement-breakpoint
ALTER FUNCTION log_value_deletes() SET plan_cache_mode = force_custom_plan;
--> statement-breakpoint
ALTER FUNCTION notify_value_changes() SET plan_cache_mode = force_custom_plan;
--> statement-breakpoint
ALTER FUNCTION notify_audit_rows() SET plan_cache_mode = force_custom_plan;
--> statement-breakpoint
-- The other statement-level notices too (drift scans and bulk approvals write many rows at once).
ALTER FUNCTION notify_change_requests() SET plan_cache_mode = force_custom_plan;
--> statement-breakpoint
ALTER FUNCTION notify_drift() SET plan_cache_mode = force_custom_plan;
--> statement-breakpoint
ALTER FUNCTION notify_syncs() SET plan_cache_mode = force_custom_plan;
--> statement-breakpoint
-- 2. Backups (`npm run backup`, finding 8) read every row as the owner role. RLS is forced, so the owner sees
--    nothing without an organization context. The owner's own sessions may now read every row: session_user =
--    current_user holds when the owner logged in itself, not inside a SECURITY DEFINER function the app role
--    calls (there session_user is the app role), so no definer function sees more than before. The owner could
--    always turn RLS off on its tables; this lets a backup read without taking a lock to do so.
DO $$
DECLARE t text;
BEGIN
  FOR t IN SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND c.relforcerowsecurity ORDER BY 1 LOOP
    EXECUTE format('CREATE POLICY %I ON %I FOR SELECT TO %I USING (session_user = current_user)',
                   t || '_owner_backup_read', t, current_user);
  END LOOP;
END $$;
