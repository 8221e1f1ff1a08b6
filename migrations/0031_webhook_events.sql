-- Change webhooks, part 2 (issue 14): the events. Triggers on the tables that change write each event, with a
-- delivery per listening endpoint (webhook_emit, 0030), in the change's own transaction: an event exists exactly
-- when its change committed, and no code path can forget one. Never a value.
-- Each trigger function below selects (organization, event type, environment, payload) rows and emits each. It
-- reads `changed` and, for an update, `before_change` in its operation's branch only (PL/pgSQL plans a query when
-- it first runs it, and an insert trigger has no `before_change`). Like the value gate (0023), a row looks its
-- variable up by key (LATERAL … LIMIT 1), so a statement's rows are read once whatever the planner estimates.
--
-- value.changed: one event per statement and environment, naming the keys (at most 100) and how many, never a value.
-- An update counts when the value's version moved (a re-encryption under a new key is not a change).
CREATE FUNCTION webhook_value_changes() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER
  SET search_path = public, pg_temp SET plan_cache_mode = force_custom_plan AS $$
DECLARE r record; op text := CASE TG_OP WHEN 'DELETE' THEN 'deleted' ELSE 'set' END;
BEGIN
  -- Nothing to do (and the rows are not read again) unless the organization has an active endpoint.
  IF NOT EXISTS (SELECT 1 FROM webhook_endpoints e WHERE e.is_active
                  AND e.organization_id = ANY (ARRAY(SELECT DISTINCT organization_id FROM changed))) THEN
    RETURN NULL;
  END IF;
  IF TG_OP = 'UPDATE' THEN
    FOR r IN SELECT c.organization_id, c.environment_id, count(*) AS n, (array_agg(x.name ORDER BY x.name))[1:100] AS keys
               FROM changed c JOIN before_change b ON b.id = c.id
               CROSS JOIN LATERAL (SELECT v.name FROM environment_variables v WHERE v.id = c.variable_id LIMIT 1) x
              WHERE c.version IS DISTINCT FROM b.version GROUP BY c.organization_id, c.environment_id LOOP
      PERFORM webhook_emit(r.organization_id, 'value.changed', r.environment_id, jsonb_build_object(
        'environment', (SELECT name FROM environments WHERE id = r.environment_id), 'operation', op,
        'keys', to_jsonb(r.keys), 'count', r.n));
    END LOOP;
  ELSE
    FOR r IN SELECT c.organization_id, c.environment_id, count(*) AS n, (array_agg(x.name ORDER BY x.name))[1:100] AS keys
               FROM changed c
               CROSS JOIN LATERAL (SELECT v.name FROM environment_variables v WHERE v.id = c.variable_id LIMIT 1) x
              GROUP BY c.organization_id, c.environment_id LOOP
      PERFORM webhook_emit(r.organization_id, 'value.changed', r.environment_id, jsonb_build_object(
        'environment', (SELECT name FROM environments WHERE id = r.environment_id), 'operation', op,
        'keys', to_jsonb(r.keys), 'count', r.n));
    END LOOP;
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER environment_variable_values_webhook_insert AFTER INSERT ON environment_variable_values
  REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION webhook_value_changes();
--> statement-breakpoint
CREATE TRIGGER environment_variable_values_webhook_update AFTER UPDATE ON environment_variable_values
  REFERENCING OLD TABLE AS before_change NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION webhook_value_changes();
--> statement-breakpoint
CREATE TRIGGER environment_variable_values_webhook_delete AFTER DELETE ON environment_variable_values
  REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION webhook_value_changes();
--> statement-breakpoint
-- variable.created / variable.deleted (a soft delete), one event per variable.
CREATE FUNCTION webhook_variable_changes() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER
  SET search_path = public, pg_temp SET plan_cache_mode = force_custom_plan AS $$
DECLARE r record;
BEGIN
  -- Nothing to do (and the rows are not read again) unless the organization has an active endpoint.
  IF NOT EXISTS (SELECT 1 FROM webhook_endpoints e WHERE e.is_active
                  AND e.organization_id = ANY (ARRAY(SELECT DISTINCT organization_id FROM changed))) THEN
    RETURN NULL;
  END IF;
  IF TG_OP = 'UPDATE' THEN
    FOR r IN SELECT c.* FROM changed c JOIN before_change b ON b.id = c.id
              WHERE c.deleted_at IS NOT NULL AND b.deleted_at IS NULL LOOP
      PERFORM webhook_emit(r.organization_id, 'variable.deleted', NULL, jsonb_build_object('variable',
        jsonb_build_object('id', r.id, 'name', r.name, 'type', r.variable_type, 'classification', r.security_classification)));
    END LOOP;
  ELSE
    FOR r IN SELECT c.* FROM changed c LOOP
      PERFORM webhook_emit(r.organization_id, 'variable.created', NULL, jsonb_build_object('variable',
        jsonb_build_object('id', r.id, 'name', r.name, 'type', r.variable_type, 'classification', r.security_classification)));
    END LOOP;
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER environment_variables_webhook_insert AFTER INSERT ON environment_variables
  REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION webhook_variable_changes();
--> statement-breakpoint
CREATE TRIGGER environment_variables_webhook_update AFTER UPDATE ON environment_variables
  REFERENCING OLD TABLE AS before_change NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION webhook_variable_changes();
--> statement-breakpoint
-- drift.detected / drift.resolved, one event per drift.
CREATE FUNCTION webhook_drift_payload(d configuration_drift) RETURNS jsonb LANGUAGE sql STABLE
  SET search_path = public, pg_temp AS $$
  SELECT jsonb_build_object('drift', jsonb_build_object('id', d.id, 'key', d.variable_name, 'type', d.drift_type,
    'severity', d.drift_severity, 'target', d.target_id, 'resolution', d.resolution),
    'environment', (SELECT name FROM environments WHERE id = d.environment_id))
$$;
--> statement-breakpoint
CREATE FUNCTION webhook_drift_changes() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER
  SET search_path = public, pg_temp SET plan_cache_mode = force_custom_plan AS $$
DECLARE r record;
BEGIN
  -- Nothing to do (and the rows are not read again) unless the organization has an active endpoint.
  IF NOT EXISTS (SELECT 1 FROM webhook_endpoints e WHERE e.is_active
                  AND e.organization_id = ANY (ARRAY(SELECT DISTINCT organization_id FROM changed))) THEN
    RETURN NULL;
  END IF;
  IF TG_OP = 'UPDATE' THEN
    FOR r IN SELECT c.organization_id, c.environment_id, webhook_drift_payload(c) AS payload
               FROM changed c JOIN before_change b ON b.id = c.id
              WHERE c.resolved_at IS NOT NULL AND b.resolved_at IS NULL LOOP
      PERFORM webhook_emit(r.organization_id, 'drift.resolved', r.environment_id, r.payload);
    END LOOP;
  ELSE
    FOR r IN SELECT c.organization_id, c.environment_id, webhook_drift_payload(c) AS payload FROM changed c LOOP
      PERFORM webhook_emit(r.organization_id, 'drift.detected', r.environment_id, r.payload);
    END LOOP;
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER configuration_drift_webhook_insert AFTER INSERT ON configuration_drift
  REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION webhook_drift_changes();
--> statement-breakpoint
CREATE TRIGGER configuration_drift_webhook_update AFTER UPDATE ON configuration_drift
  REFERENCING OLD TABLE AS before_change NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION webhook_drift_changes();
--> statement-breakpoint
-- change_request.opened / change_request.decided (any way out of pending: approved, rejected, cancelled, stale,
-- expired; the status says which).
CREATE FUNCTION webhook_request_payload(q change_requests) RETURNS jsonb LANGUAGE sql STABLE
  SET search_path = public, pg_temp AS $$
  SELECT jsonb_build_object('change_request', jsonb_build_object('id', q.id, 'action', q.action, 'status', q.status,
    'risk_level', q.risk_level, 'requested_by', q.requested_by, 'decided_by', q.decided_by),
    'environment', (SELECT name FROM environments WHERE id = q.environment_id))
$$;
--> statement-breakpoint
CREATE FUNCTION webhook_change_requests() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER
  SET search_path = public, pg_temp SET plan_cache_mode = force_custom_plan AS $$
DECLARE r record;
BEGIN
  -- Nothing to do (and the rows are not read again) unless the organization has an active endpoint.
  IF NOT EXISTS (SELECT 1 FROM webhook_endpoints e WHERE e.is_active
                  AND e.organization_id = ANY (ARRAY(SELECT DISTINCT organization_id FROM changed))) THEN
    RETURN NULL;
  END IF;
  IF TG_OP = 'UPDATE' THEN
    FOR r IN SELECT c.organization_id, c.environment_id, webhook_request_payload(c) AS payload
               FROM changed c JOIN before_change b ON b.id = c.id
              WHERE c.status <> 'pending' AND b.status = 'pending' LOOP
      PERFORM webhook_emit(r.organization_id, 'change_request.decided', r.environment_id, r.payload);
    END LOOP;
  ELSE
    FOR r IN SELECT c.organization_id, c.environment_id, webhook_request_payload(c) AS payload FROM changed c LOOP
      PERFORM webhook_emit(r.organization_id, 'change_request.opened', r.environment_id, r.payload);
    END LOOP;
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER change_requests_webhook_insert AFTER INSERT ON change_requests
  REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION webhook_change_requests();
--> statement-breakpoint
CREATE TRIGGER change_requests_webhook_update AFTER UPDATE ON change_requests
  REFERENCING OLD TABLE AS before_change NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION webhook_change_requests();
--> statement-breakpoint
-- emergency.opened / emergency.closed (break-glass sessions).
CREATE FUNCTION webhook_emergency_payload(e emergency_sessions) RETURNS jsonb LANGUAGE sql STABLE
  SET search_path = public, pg_temp AS $$
  SELECT jsonb_build_object('emergency', jsonb_build_object('id', e.id, 'user', e.user_id, 'started_at', e.started_at,
    'expires_at', e.expires_at, 'ended_at', e.ended_at),
    'environment', (SELECT name FROM environments WHERE id = e.environment_id))
$$;
--> statement-breakpoint
CREATE FUNCTION webhook_emergencies() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER
  SET search_path = public, pg_temp SET plan_cache_mode = force_custom_plan AS $$
DECLARE r record;
BEGIN
  -- Nothing to do (and the rows are not read again) unless the organization has an active endpoint.
  IF NOT EXISTS (SELECT 1 FROM webhook_endpoints e WHERE e.is_active
                  AND e.organization_id = ANY (ARRAY(SELECT DISTINCT organization_id FROM changed))) THEN
    RETURN NULL;
  END IF;
  IF TG_OP = 'UPDATE' THEN
    FOR r IN SELECT c.organization_id, c.environment_id, webhook_emergency_payload(c) AS payload
               FROM changed c JOIN before_change b ON b.id = c.id
              WHERE c.ended_at IS NOT NULL AND b.ended_at IS NULL LOOP
      PERFORM webhook_emit(r.organization_id, 'emergency.closed', r.environment_id, r.payload);
    END LOOP;
  ELSE
    FOR r IN SELECT c.organization_id, c.environment_id, webhook_emergency_payload(c) AS payload FROM changed c LOOP
      PERFORM webhook_emit(r.organization_id, 'emergency.opened', r.environment_id, r.payload);
    END LOOP;
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER emergency_sessions_webhook_insert AFTER INSERT ON emergency_sessions
  REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION webhook_emergencies();
--> statement-breakpoint
CREATE TRIGGER emergency_sessions_webhook_update AFTER UPDATE ON emergency_sessions
  REFERENCING OLD TABLE AS before_change NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION webhook_emergencies();
--> statement-breakpoint
-- sync.completed / sync.failed, when a sync reaches either.
CREATE FUNCTION webhook_sync_payload(y deployment_syncs) RETURNS jsonb LANGUAGE sql STABLE
  SET search_path = public, pg_temp AS $$
  SELECT jsonb_build_object('sync', jsonb_build_object('id', y.id, 'target', y.target_id, 'type', y.sync_type,
    'synced', y.variables_synced, 'failed', y.variables_failed, 'duration_ms', y.sync_duration_ms),
    'environment', (SELECT name FROM environments WHERE id = y.environment_id))
$$;
--> statement-breakpoint
CREATE FUNCTION webhook_syncs() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER
  SET search_path = public, pg_temp SET plan_cache_mode = force_custom_plan AS $$
DECLARE r record;
BEGIN
  -- Nothing to do (and the rows are not read again) unless the organization has an active endpoint.
  IF NOT EXISTS (SELECT 1 FROM webhook_endpoints e WHERE e.is_active
                  AND e.organization_id = ANY (ARRAY(SELECT DISTINCT organization_id FROM changed))) THEN
    RETURN NULL;
  END IF;
  IF TG_OP = 'UPDATE' THEN
    FOR r IN SELECT c.organization_id, c.environment_id, c.sync_status, webhook_sync_payload(c) AS payload
               FROM changed c JOIN before_change b ON b.id = c.id
              WHERE c.sync_status IN ('completed', 'failed') AND b.sync_status IS DISTINCT FROM c.sync_status LOOP
      PERFORM webhook_emit(r.organization_id, 'sync.' || r.sync_status, r.environment_id, r.payload);
    END LOOP;
  ELSE
    FOR r IN SELECT c.organization_id, c.environment_id, c.sync_status, webhook_sync_payload(c) AS payload
               FROM changed c WHERE c.sync_status IN ('completed', 'failed') LOOP
      PERFORM webhook_emit(r.organization_id, 'sync.' || r.sync_status, r.environment_id, r.payload);
    END LOOP;
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER deployment_syncs_webhook_insert AFTER INSERT ON deployment_syncs
  REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION webhook_syncs();
--> statement-breakpoint
CREATE TRIGGER deployment_syncs_webhook_update AFTER UPDATE ON deployment_syncs
  REFERENCING OLD TABLE AS before_change NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION webhook_syncs();
