-- Undoes 0046_ops_integrity: no integrity results.
DROP FUNCTION ops_record_integrity(text, uuid, boolean, jsonb);
--> statement-breakpoint
DROP TABLE ops_integrity_results;
