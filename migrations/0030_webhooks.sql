CREATE TABLE "webhook_attempts" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"organization_id" uuid NOT NULL,
	"delivery_id" uuid NOT NULL,
	"attempt" integer NOT NULL,
	"status_code" integer,
	"latency_ms" integer NOT NULL,
	"error" varchar(300),
	"ok" boolean NOT NULL,
	"attempted_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "webhook_deliveries" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"organization_id" uuid NOT NULL,
	"endpoint_id" uuid NOT NULL,
	"event_id" uuid NOT NULL,
	"status" varchar(16) DEFAULT 'pending' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"next_attempt_at" timestamp with time zone DEFAULT now() NOT NULL,
	"queued_at" timestamp with time zone,
	"last_status_code" integer,
	"last_latency_ms" integer,
	"last_error" varchar(300),
	"replay_of" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"delivered_at" timestamp with time zone,
	CONSTRAINT "webhook_deliveries_status_check" CHECK ("webhook_deliveries"."status" in ('pending', 'delivered', 'failed'))
);
--> statement-breakpoint
CREATE TABLE "webhook_endpoints" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"organization_id" uuid NOT NULL,
	"url" text NOT NULL,
	"description" varchar(200) DEFAULT '' NOT NULL,
	"events" text[] NOT NULL,
	"environment_ids" uuid[] DEFAULT '{}'::uuid[] NOT NULL,
	"secret_sealed" text NOT NULL,
	"encryption_key_id" varchar(255) NOT NULL,
	"previous_secret_sealed" text,
	"previous_encryption_key_id" varchar(255),
	"previous_secret_expires_at" timestamp with time zone,
	"is_active" boolean DEFAULT true NOT NULL,
	"circuit_state" varchar(16) DEFAULT 'closed' NOT NULL,
	"consecutive_failures" integer DEFAULT 0 NOT NULL,
	"circuit_opened_at" timestamp with time zone,
	"version" integer DEFAULT 1 NOT NULL,
	"created_by" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "webhook_endpoints_circuit_check" CHECK ("webhook_endpoints"."circuit_state" in ('closed', 'open', 'half_open')),
	CONSTRAINT "webhook_endpoints_events_check" CHECK (cardinality("webhook_endpoints"."events") > 0)
);
--> statement-breakpoint
CREATE TABLE "webhook_events" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"organization_id" uuid NOT NULL,
	"event_type" varchar(40) NOT NULL,
	"environment_id" uuid,
	"data" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "webhook_attempts" ADD CONSTRAINT "webhook_attempts_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "webhook_attempts" ADD CONSTRAINT "webhook_attempts_delivery_id_webhook_deliveries_id_fk" FOREIGN KEY ("delivery_id") REFERENCES "public"."webhook_deliveries"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "webhook_deliveries" ADD CONSTRAINT "webhook_deliveries_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "webhook_deliveries" ADD CONSTRAINT "webhook_deliveries_endpoint_id_webhook_endpoints_id_fk" FOREIGN KEY ("endpoint_id") REFERENCES "public"."webhook_endpoints"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "webhook_deliveries" ADD CONSTRAINT "webhook_deliveries_event_id_webhook_events_id_fk" FOREIGN KEY ("event_id") REFERENCES "public"."webhook_events"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "webhook_endpoints" ADD CONSTRAINT "webhook_endpoints_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "webhook_endpoints" ADD CONSTRAINT "webhook_endpoints_encryption_key_id_encryption_keys_key_id_fk" FOREIGN KEY ("encryption_key_id") REFERENCES "public"."encryption_keys"("key_id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "webhook_endpoints" ADD CONSTRAINT "webhook_endpoints_previous_encryption_key_id_encryption_keys_key_id_fk" FOREIGN KEY ("previous_encryption_key_id") REFERENCES "public"."encryption_keys"("key_id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "webhook_endpoints" ADD CONSTRAINT "webhook_endpoints_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "webhook_events" ADD CONSTRAINT "webhook_events_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "webhook_events" ADD CONSTRAINT "webhook_events_environment_id_environments_id_fk" FOREIGN KEY ("environment_id") REFERENCES "public"."environments"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "idx_webhook_attempts_delivery" ON "webhook_attempts" USING btree ("delivery_id","attempt");--> statement-breakpoint
CREATE INDEX "idx_webhook_deliveries_endpoint" ON "webhook_deliveries" USING btree ("endpoint_id","created_at");--> statement-breakpoint
CREATE INDEX "idx_webhook_deliveries_due" ON "webhook_deliveries" USING btree ("status","next_attempt_at");--> statement-breakpoint
CREATE UNIQUE INDEX "webhook_deliveries_event_unique" ON "webhook_deliveries" USING btree ("endpoint_id","event_id") WHERE "webhook_deliveries"."replay_of" is null;--> statement-breakpoint
CREATE INDEX "idx_webhook_endpoints_org" ON "webhook_endpoints" USING btree ("organization_id","is_active");--> statement-breakpoint
CREATE INDEX "idx_webhook_events_org" ON "webhook_events" USING btree ("organization_id","created_at");--> statement-breakpoint
-- Tenant tables: RLS enabled and forced, rows of the current organization only. The app role manages endpoints,
-- reads events, deliveries and attempts, writes a test event, a replay and each attempt's outcome. The triggers
-- below write events and deliveries as the owner (SECURITY DEFINER), as do backups and restores.
DO $$
DECLARE
  app text := coalesce(nullif(current_setting('ringbearer.app_role', true), ''), 'ringbearer_app');
  t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['webhook_endpoints', 'webhook_events', 'webhook_deliveries', 'webhook_attempts'] LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
    EXECUTE format('CREATE POLICY %I ON %I FOR ALL USING (organization_id = (SELECT app_org_id())) WITH CHECK (organization_id = (SELECT app_org_id()))', t || '_organization_access', t);
    EXECUTE format('CREATE POLICY %I ON %I FOR ALL TO %I USING (true) WITH CHECK (true)', t || '_definer', t, current_user);
    EXECUTE format('CREATE POLICY %I ON %I FOR SELECT TO %I USING (session_user = current_user)', t || '_owner_backup_read', t, current_user);
    EXECUTE format('REVOKE ALL ON %I FROM PUBLIC', t);
  END LOOP;
  -- Endpoints are seen and managed by owners and admins only (webhooks:manage): a URL may carry a secret of its
  -- own (a chat service's hook URL does).
  DROP POLICY webhook_endpoints_organization_access ON webhook_endpoints;
  CREATE POLICY webhook_endpoints_manage ON webhook_endpoints FOR ALL
    USING (organization_id = (SELECT app_org_id()) AND (SELECT app_role()) IN ('owner', 'admin'))
    WITH CHECK (organization_id = (SELECT app_org_id()) AND (SELECT app_role()) IN ('owner', 'admin'));
  EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON webhook_endpoints TO %I', app);
  EXECUTE format('GRANT SELECT, INSERT ON webhook_events TO %I', app);
  EXECUTE format('GRANT SELECT, INSERT, UPDATE ON webhook_deliveries TO %I', app);
  EXECUTE format('GRANT SELECT, INSERT ON webhook_attempts TO %I', app);
END $$;
--> statement-breakpoint
-- One event, written only while an active endpoint of the organization subscribes to it (for its environment),
-- with a delivery for each such endpoint; the job runners are woken on their own channel (open consoles are not).
CREATE FUNCTION webhook_emit(org uuid, kind text, env uuid, payload jsonb) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE ev uuid;
BEGIN
  IF NOT EXISTS (SELECT 1 FROM webhook_endpoints e
                  WHERE e.organization_id = org AND e.is_active AND kind = ANY (e.events)
                    AND (cardinality(e.environment_ids) = 0 OR env = ANY (e.environment_ids))) THEN
    RETURN;
  END IF;
  INSERT INTO webhook_events (organization_id, event_type, environment_id, data)
    VALUES (org, kind, env, payload) RETURNING id INTO ev;
  INSERT INTO webhook_deliveries (organization_id, endpoint_id, event_id)
    SELECT org, e.id, ev FROM webhook_endpoints e
     WHERE e.organization_id = org AND e.is_active AND kind = ANY (e.events)
       AND (cardinality(e.environment_ids) = 0 OR env = ANY (e.environment_ids));
  PERFORM pg_notify('ringbearer_webhooks', org::text);
END $$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION webhook_emit(uuid, text, uuid, jsonb) FROM PUBLIC;
--> statement-breakpoint
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
--> statement-breakpoint
ALTER TABLE "environment_variable_audit" DROP CONSTRAINT "environment_variable_audit_resource_check";
--> statement-breakpoint
ALTER TABLE "environment_variable_audit" ADD CONSTRAINT "environment_variable_audit_resource_check" CHECK ("environment_variable_audit"."resource_type" in ('variable', 'value', 'permission', 'environment', 'organization', 'session', 'settings', 'member', 'change_request', 'invitation', 'sync_target', 'drift', 'service_token', 'webhook'));
