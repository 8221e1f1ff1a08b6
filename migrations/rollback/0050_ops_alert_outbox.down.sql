-- Undoes 0050_ops_alert_outbox: alerts are no longer sent to the operations webhook.
DROP FUNCTION ops_take_alert_changes(text);
DROP INDEX ops_alerts_unsent;
ALTER TABLE ops_alerts DROP COLUMN raised_sent_at, DROP COLUMN cleared_sent_at;
