-- Undoes 0047_ops_table_sizes: no table growth.
DROP FUNCTION ops_record_table_sizes(text, jsonb);
--> statement-breakpoint
DROP TABLE ops_table_snapshots;
