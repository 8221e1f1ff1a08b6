-- Webhook log retention (issue 14): the events, deliveries and attempts of an organization older than the retention
-- (RINGBEARER_WEBHOOK_RETENTION_DAYS, 30 by default) go, once every delivery of the event is final (delivered or
-- failed); a delivery still retrying keeps its event. Run by the purge job in each organization's job context; the
-- app role still may not delete any of them itself.
CREATE FUNCTION purge_webhook_log(keep_days integer) RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE n integer;
BEGIN
  IF app_org_id() IS NULL OR app_role() NOT IN ('owner', 'admin') THEN
    RAISE EXCEPTION 'purge needs an owner or admin context' USING ERRCODE = '42501';
  END IF;
  IF keep_days IS NULL OR keep_days < 1 THEN
    RAISE EXCEPTION 'keep at least one day of the webhook log' USING ERRCODE = '22023';
  END IF;
  -- Attempts and deliveries go with their event (ON DELETE CASCADE).
  DELETE FROM webhook_events e
   WHERE e.organization_id = app_org_id() AND e.created_at < now() - make_interval(days => keep_days)
     AND NOT EXISTS (SELECT 1 FROM webhook_deliveries d WHERE d.event_id = e.id AND d.status = 'pending');
  GET DIAGNOSTICS n = ROW_COUNT;
  RETURN n;
END $$;
--> statement-breakpoint
DO $$
DECLARE app text := coalesce(nullif(current_setting('ringbearer.app_role', true), ''), 'ringbearer_app');
BEGIN
  EXECUTE 'REVOKE ALL ON FUNCTION purge_webhook_log(integer) FROM PUBLIC';
  EXECUTE format('GRANT EXECUTE ON FUNCTION purge_webhook_log(integer) TO %I', app);
END $$;
