-- Undoes 0044_operators: no operators, no operations log.
DROP TABLE ops_events;
--> statement-breakpoint
DROP TABLE installation_operators;
--> statement-breakpoint
DROP FUNCTION app_is_operator();
--> statement-breakpoint
DROP FUNCTION refuse_ops_event_change();
