-- Undoes 0045_ops_alerts: no system alerts, no thresholds.
DROP FUNCTION ops_record_alerts(text, text[], jsonb);
--> statement-breakpoint
DROP TABLE ops_alert_thresholds;
--> statement-breakpoint
DROP TABLE ops_alerts;
