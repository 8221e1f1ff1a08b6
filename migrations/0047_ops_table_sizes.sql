-- Table growth for the operator console (issue 17): a daily snapshot of each table's size, recorded by the job
-- runner only (ops_record_table_sizes with its proof, as in 0045), kept a year. Sizes are no secret: the app
-- role reads them (the alert job compares today with yesterday); operators see them charted on /ops/tables.
CREATE TABLE ops_table_snapshots (
  day date NOT NULL,
  schema_name varchar(63) NOT NULL,
  table_name varchar(63) NOT NULL,
  total_bytes bigint NOT NULL,
  estimated_rows bigint NOT NULL,
  PRIMARY KEY (day, schema_name, table_name)
);
--> statement-breakpoint
ALTER TABLE ops_table_snapshots ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE ops_table_snapshots FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY ops_table_snapshots_read ON ops_table_snapshots FOR SELECT USING (true);
--> statement-breakpoint
CREATE FUNCTION ops_record_table_sizes(proof text, snapshot jsonb) RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE n integer;
BEGIN
  IF proof IS NULL OR NOT EXISTS (SELECT 1 FROM job_runner_keys k
      WHERE k.verifier = encode(sha256(convert_to(proof, 'UTF8')), 'hex')) THEN
    RAISE EXCEPTION 'ops_record_table_sizes: only the job runner records table sizes' USING ERRCODE = '42501';
  END IF;
  PERFORM set_config('ringbearer.ops_snapshots', 'record', true);
  INSERT INTO ops_table_snapshots (day, schema_name, table_name, total_bytes, estimated_rows)
  SELECT current_date, x.schema_name, x.table_name, x.total_bytes, x.estimated_rows
    FROM jsonb_to_recordset(snapshot) AS x(schema_name text, table_name text, total_bytes bigint, estimated_rows bigint)
  ON CONFLICT (day, schema_name, table_name)
    DO UPDATE SET total_bytes = excluded.total_bytes, estimated_rows = excluded.estimated_rows;
  GET DIAGNOSTICS n = ROW_COUNT;
  DELETE FROM ops_table_snapshots WHERE day < current_date - 366;
  PERFORM set_config('ringbearer.ops_snapshots', '', true);
  RETURN n;
END $$;
--> statement-breakpoint
DO $$
DECLARE app text := coalesce(nullif(current_setting('ringbearer.app_role', true), ''), 'ringbearer_app');
BEGIN
  EXECUTE format('CREATE POLICY ops_table_snapshots_recorder ON ops_table_snapshots FOR ALL TO %I
                  USING (current_setting(''ringbearer.ops_snapshots'', true) = ''record'')
                  WITH CHECK (current_setting(''ringbearer.ops_snapshots'', true) = ''record'')', current_user);
  EXECUTE format('CREATE POLICY ops_table_snapshots_owner_backup_read ON ops_table_snapshots FOR SELECT TO %I
                  USING (session_user = current_user)', current_user);
  REVOKE ALL ON ops_table_snapshots FROM PUBLIC;
  EXECUTE format('GRANT SELECT ON ops_table_snapshots TO %I', app);
  REVOKE ALL ON FUNCTION ops_record_table_sizes(text, jsonb) FROM PUBLIC;
  EXECUTE format('GRANT EXECUTE ON FUNCTION ops_record_table_sizes(text, jsonb) TO %I', app);
END $$;
