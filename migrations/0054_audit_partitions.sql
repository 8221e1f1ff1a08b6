-- The audit trail partitioned by month (issue 17, scale). environment_variable_audit becomes a table
-- partitioned by range of created_at (UTC months), with a default partition that only takes rows a month had
-- no partition for (the monthly job was late, or a restore brought older months). Everything that made the
-- single table safe holds across partitions:
-- - the chain: seq and the links are assigned under the organization's audit_chain_heads row (its lock
--   serialises writers), so (organization_id, seq) stays unique without a unique index (which would have to
--   include created_at); verify_audit_chain walks seq across partitions and reports a gap, a duplicate or a
--   row missing at the end (the head);
-- - append-only: the row triggers are the parent's, cloned onto each partition; TRUNCATE, a statement
--   trigger, is refused on the parent and on each partition;
-- - isolation: row-level security is the parent's; the app role is granted the parent only, so it cannot
--   name a partition (no grant, no RLS to rely on);
-- - created_at routes the row: its default is clock_timestamp(), and the chain trigger still stamps the
--   time of writing, unless that would cross into another month (then the routed time stays), and refuses a
--   supplied time further off (RBA02).
-- The primary key becomes (id, created_at); emergency_reviews refers to the row by both.
--
-- audit_table_swap(partitioned) rebuilds the table either way, keeping its rows, triggers, policies, grants,
-- foreign keys and the functions over its row type as they are: this migration uses it, and so does its
-- rollback.
CREATE FUNCTION audit_partition_create(m timestamptz) RETURNS boolean
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  month_utc timestamp := date_trunc('month', m AT TIME ZONE 'UTC');
  lo timestamptz := month_utc AT TIME ZONE 'UTC';
  hi timestamptz := (month_utc + interval '1 month') AT TIME ZONE 'UTC';
  part text := 'environment_variable_audit_' || to_char(month_utc, '"y"YYYY"m"MM');
  moved boolean;
BEGIN
  IF to_regclass('public.' || part) IS NOT NULL THEN RETURN false; END IF;
  -- Rows the default partition took for this month (none unless the job was late) leave it first, and go
  -- into the new partition as they were: the two tables' own triggers are off for the move only (the owner may;
  -- no session_replication_role, which an external PostgreSQL may not grant), their keys still checked.
  moved := EXISTS (SELECT 1 FROM environment_variable_audit_default WHERE created_at >= lo AND created_at < hi);
  IF moved THEN
    CREATE TEMP TABLE audit_partition_moving ON COMMIT DROP AS
      SELECT * FROM environment_variable_audit_default WHERE created_at >= lo AND created_at < hi;
    ALTER TABLE environment_variable_audit_default DISABLE TRIGGER USER;
    DELETE FROM environment_variable_audit_default WHERE created_at >= lo AND created_at < hi;
    ALTER TABLE environment_variable_audit_default ENABLE TRIGGER USER;
  END IF;
  EXECUTE format('CREATE TABLE %I PARTITION OF environment_variable_audit FOR VALUES FROM (%L) TO (%L)', part, lo, hi);
  IF moved THEN
    EXECUTE format('ALTER TABLE %I DISABLE TRIGGER USER', part);
    EXECUTE format('INSERT INTO %I SELECT * FROM audit_partition_moving', part);
    EXECUTE format('ALTER TABLE %I ENABLE TRIGGER USER', part);
    DROP TABLE audit_partition_moving;
  END IF;
  EXECUTE format('CREATE TRIGGER %I BEFORE TRUNCATE ON %I FOR EACH STATEMENT EXECUTE FUNCTION audit_append_only()',
                 part || '_no_truncate', part);
  RETURN true;
END $$;
--> statement-breakpoint
-- The monthly job's (and every start's): partitions for this month and `ahead` more, and for every month
-- the default partition holds rows of. Returns how many it made. The app role may call it: it only ever adds
-- partitions for months that have, or are about to have, rows.
CREATE FUNCTION audit_ensure_partitions(ahead integer DEFAULT 3) RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  m timestamptz;
  made integer := 0;
  this_month timestamp := date_trunc('month', now() AT TIME ZONE 'UTC');
BEGIN
  IF ahead IS NULL OR ahead NOT BETWEEN 0 AND 24 THEN
    RAISE EXCEPTION 'audit_ensure_partitions: ahead is 0 to 24 months' USING ERRCODE = '22023';
  END IF;
  IF (SELECT c.relkind FROM pg_class c WHERE c.oid = 'public.environment_variable_audit'::regclass) <> 'p' THEN
    RETURN 0;
  END IF;
  -- The months first (no scan of the default partition stays open while a month's rows leave it).
  FOREACH m IN ARRAY ARRAY(
      SELECT DISTINCT date_trunc('month', d.created_at AT TIME ZONE 'UTC') AT TIME ZONE 'UTC'
        FROM environment_variable_audit_default d
      UNION SELECT g AT TIME ZONE 'UTC'
        FROM generate_series(this_month, this_month + make_interval(months => ahead), '1 month') g
      ORDER BY 1) LOOP
    IF audit_partition_create(m) THEN made := made + 1; END IF;
  END LOOP;
  RETURN made;
END $$;
--> statement-breakpoint
CREATE FUNCTION audit_table_swap(partitioned boolean) RETURNS void
LANGUAGE plpgsql SET search_path = public, pg_temp SET timezone = 'UTC' AS $$
DECLARE
  t regclass := 'public.environment_variable_audit'::regclass;
  defs text[] := '{}';
  fks text[] := '{}';
  d text;
  r record;
  oldest timestamptz;
  lifted regclass[];
  x regclass;
BEGIN
  IF (SELECT c.relkind = 'p' FROM pg_class c WHERE c.oid = t) = partitioned THEN RETURN; END IF;
  -- The owner is under forced row-level security like everyone: lifted, inside this transaction, from the
  -- tables this copies and checks keys against, so nothing depends on who the session is.
  SELECT array_agg(c.oid::regclass) INTO lifted FROM pg_class c
   WHERE c.relforcerowsecurity AND c.oid <> t
     AND c.oid IN (SELECT f.confrelid FROM pg_constraint f WHERE f.conrelid = t AND f.contype = 'f'
                   UNION SELECT 'public.emergency_reviews'::regclass);
  FOREACH x IN ARRAY coalesce(lifted, '{}') LOOP
    EXECUTE format('ALTER TABLE %s NO FORCE ROW LEVEL SECURITY', x);
  END LOOP;
  ALTER TABLE environment_variable_audit NO FORCE ROW LEVEL SECURITY;
  -- What the table carries, as statements that recreate it on the new table of the same name.
  FOR r IN SELECT p.oid FROM pg_proc p JOIN pg_type ty ON ty.typrelid = t
            WHERE ty.oid = ANY (p.proargtypes) OR p.prorettype = ty.oid LOOP
    defs := defs || pg_get_functiondef(r.oid);
  END LOOP;
  FOR r IN SELECT tg.oid FROM pg_trigger tg WHERE tg.tgrelid = t AND NOT tg.tgisinternal ORDER BY tg.tgname LOOP
    defs := defs || pg_get_triggerdef(r.oid);
  END LOOP;
  -- Its policies, and other tables' policies that read it (users_visible, 0019): those go before the old table.
  FOR r IN SELECT p.*, pol.polrelid <> t AS elsewhere FROM pg_policies p
             JOIN pg_policy pol ON pol.polname = p.policyname
             JOIN pg_class c ON c.oid = pol.polrelid AND c.relname = p.tablename
             JOIN pg_namespace ns ON ns.oid = c.relnamespace AND ns.nspname = p.schemaname
            WHERE pol.polrelid = t OR EXISTS (SELECT 1 FROM pg_depend dp WHERE dp.classid = 'pg_policy'::regclass
                                               AND dp.objid = pol.oid AND dp.refobjid = t)
            ORDER BY p.tablename, p.policyname LOOP
    defs := defs || format('CREATE POLICY %I ON %I.%I AS %s FOR %s TO %s%s%s',
      r.policyname, r.schemaname, r.tablename, r.permissive, r.cmd,
      (SELECT string_agg(quote_ident(rl), ', ') FROM unnest(r.roles) rl),
      coalesce(' USING (' || r.qual || ')', ''), coalesce(' WITH CHECK (' || r.with_check || ')', ''));
    IF r.elsewhere THEN EXECUTE format('DROP POLICY %I ON %I.%I', r.policyname, r.schemaname, r.tablename); END IF;
  END LOOP;
  FOR r IN SELECT a.grantee::regrole::text AS grantee, string_agg(a.privilege_type, ', ') AS privileges
             FROM pg_class c, aclexplode(c.relacl) a
            WHERE c.oid = t AND a.grantee <> c.relowner AND a.grantee <> 0 GROUP BY 1 LOOP
    defs := defs || format('GRANT %s ON environment_variable_audit TO %s', r.privileges, r.grantee);
  END LOOP;
  FOR r IN SELECT f.conname, pg_get_constraintdef(f.oid) AS def FROM pg_constraint f
            WHERE f.conrelid = t AND f.contype = 'f' AND f.conparentid = 0 LOOP
    fks := fks || format('ALTER TABLE environment_variable_audit ADD CONSTRAINT %I %s', r.conname, r.def);
  END LOOP;

  ALTER TABLE emergency_reviews DROP CONSTRAINT IF EXISTS emergency_reviews_audit_id_environment_variable_audit_id_fk;
  ALTER TABLE emergency_reviews DROP CONSTRAINT IF EXISTS emergency_reviews_audit_fk;
  FOR r IN SELECT p.oid FROM pg_proc p JOIN pg_type ty ON ty.typrelid = t
            WHERE ty.oid = ANY (p.proargtypes) OR p.prorettype = ty.oid LOOP
    EXECUTE format('DROP FUNCTION %s', r.oid::regprocedure);
  END LOOP;
  ALTER TABLE environment_variable_audit RENAME TO environment_variable_audit_old;
  -- Index and key names are the schema's: the old table's go before the new table takes them.
  FOR r IN SELECT c.conname FROM pg_constraint c
            WHERE c.conrelid = 'environment_variable_audit_old'::regclass AND c.contype IN ('p', 'u') LOOP
    EXECUTE format('ALTER TABLE environment_variable_audit_old DROP CONSTRAINT %I', r.conname);
  END LOOP;
  FOR r IN SELECT i.indexrelid::regclass AS idx FROM pg_index i
            WHERE i.indrelid = 'environment_variable_audit_old'::regclass LOOP
    EXECUTE format('DROP INDEX %s', r.idx);
  END LOOP;

  IF partitioned THEN
    CREATE TABLE environment_variable_audit (LIKE environment_variable_audit_old INCLUDING DEFAULTS INCLUDING CONSTRAINTS)
      PARTITION BY RANGE (created_at);
    ALTER TABLE environment_variable_audit ALTER COLUMN created_at SET DEFAULT clock_timestamp();
    CREATE TABLE environment_variable_audit_default PARTITION OF environment_variable_audit DEFAULT;
    CREATE TRIGGER environment_variable_audit_default_no_truncate BEFORE TRUNCATE ON environment_variable_audit_default
      FOR EACH STATEMENT EXECUTE FUNCTION audit_append_only();
    SELECT min(o.created_at) INTO oldest FROM environment_variable_audit_old o;
    FOR r IN SELECT generate_series(date_trunc('month', least(coalesce(oldest, now()), now())),
                                    date_trunc('month', now()) + interval '3 months', '1 month') AS m LOOP
      PERFORM audit_partition_create(r.m);
    END LOOP;
    ALTER TABLE environment_variable_audit ADD PRIMARY KEY (id, created_at);
    CREATE INDEX idx_env_var_audit_org_seq ON environment_variable_audit (organization_id, seq);
  ELSE
    CREATE TABLE environment_variable_audit (LIKE environment_variable_audit_old INCLUDING DEFAULTS INCLUDING CONSTRAINTS);
    ALTER TABLE environment_variable_audit ALTER COLUMN created_at SET DEFAULT now();
    ALTER TABLE environment_variable_audit ADD PRIMARY KEY (id);
    CREATE UNIQUE INDEX idx_env_var_audit_org_seq ON environment_variable_audit (organization_id, seq);
  END IF;
  CREATE INDEX idx_env_var_audit_timestamp ON environment_variable_audit (organization_id, created_at DESC);
  CREATE INDEX idx_env_var_audit_activity ON environment_variable_audit (organization_id, created_at, action);
  CREATE INDEX idx_env_var_audit_user ON environment_variable_audit (user_id, created_at DESC);
  CREATE INDEX idx_env_var_audit_variable ON environment_variable_audit (variable_id, created_at DESC);
  INSERT INTO environment_variable_audit SELECT * FROM environment_variable_audit_old;
  IF (SELECT count(*) FROM environment_variable_audit) <> (SELECT count(*) FROM environment_variable_audit_old) THEN
    RAISE EXCEPTION 'audit_table_swap: not every row was copied; nothing changed';
  END IF;
  DROP TABLE environment_variable_audit_old;

  FOREACH d IN ARRAY fks LOOP EXECUTE d; END LOOP;
  FOREACH d IN ARRAY defs LOOP EXECUTE d; END LOOP;
  ALTER TABLE environment_variable_audit ENABLE ROW LEVEL SECURITY;
  IF partitioned THEN
    ALTER TABLE emergency_reviews ADD CONSTRAINT emergency_reviews_audit_fk FOREIGN KEY (audit_id, audit_created_at)
      REFERENCES environment_variable_audit (id, created_at);
  ELSE
    ALTER TABLE emergency_reviews ADD CONSTRAINT emergency_reviews_audit_id_environment_variable_audit_id_fk
      FOREIGN KEY (audit_id) REFERENCES environment_variable_audit (id);
  END IF;
  ALTER TABLE environment_variable_audit FORCE ROW LEVEL SECURITY;
  FOREACH x IN ARRAY coalesce(lifted, '{}') LOOP
    EXECUTE format('ALTER TABLE %s FORCE ROW LEVEL SECURITY', x);
  END LOOP;
END $$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION audit_partition_create(timestamptz), audit_table_swap(boolean) FROM PUBLIC;
--> statement-breakpoint
ALTER TABLE emergency_reviews ADD COLUMN audit_created_at timestamptz;
--> statement-breakpoint
-- The owner is under forced row-level security like everyone: lifted for this backfill, inside this transaction.
ALTER TABLE emergency_reviews NO FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE environment_variable_audit NO FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
UPDATE emergency_reviews r SET audit_created_at = a.created_at FROM environment_variable_audit a WHERE a.id = r.audit_id;
--> statement-breakpoint
ALTER TABLE emergency_reviews FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE environment_variable_audit FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE emergency_reviews ALTER COLUMN audit_created_at SET NOT NULL;
--> statement-breakpoint
-- One review per audit row, the row being (id, created_at): the key also serves the foreign key's lookups.
ALTER TABLE emergency_reviews DROP CONSTRAINT "emergency_reviews_auditId_unique";
--> statement-breakpoint
ALTER TABLE emergency_reviews ADD CONSTRAINT emergency_reviews_audit_unique UNIQUE (audit_id, audit_created_at);
--> statement-breakpoint
CREATE OR REPLACE FUNCTION open_emergency_review() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
  INSERT INTO emergency_reviews (organization_id, emergency_session_id, audit_id, audit_created_at, actor_id)
  VALUES (NEW.organization_id, app_emergency_session_id(), NEW.id, NEW.created_at, NEW.user_id);
  RETURN NULL;
END $$;
--> statement-breakpoint
SELECT audit_table_swap(true);
--> statement-breakpoint
-- The chain trigger as in 0052, but for the time it stamps (see the head of this file).
CREATE OR REPLACE FUNCTION audit_chain_append() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  parts text[] := string_to_array(nullif(current_setting('app.chain_head', true), ''), '|');
  head_seq bigint;
  head_hash varchar;
  now_ timestamptz := clock_timestamp();
BEGIN
  IF parts IS NOT NULL AND parts[1] = NEW.organization_id::text THEN
    head_seq := parts[2]::bigint;
    head_hash := parts[3];
  ELSE
    IF parts IS NOT NULL THEN -- another organization's head is pending in this transaction: write it now
      UPDATE audit_chain_heads SET seq = parts[2]::bigint, row_hash = parts[3] WHERE organization_id = parts[1]::uuid;
    END IF;
    INSERT INTO audit_chain_heads VALUES (NEW.organization_id, 0, '') ON CONFLICT DO NOTHING;
    SELECT seq, row_hash INTO head_seq, head_hash FROM audit_chain_heads
     WHERE organization_id = NEW.organization_id FOR UPDATE;
  END IF;
  -- The row was routed to its month's partition by the created_at it came with (clock_timestamp() by default):
  -- it takes the time of writing within that month; across a month's end it keeps the routed time; a time
  -- further off was supplied by the writer and is refused.
  IF date_trunc('month', NEW.created_at AT TIME ZONE 'UTC') = date_trunc('month', now_ AT TIME ZONE 'UTC') THEN
    NEW.created_at := now_;
  ELSIF NEW.created_at IS NULL OR NEW.created_at NOT BETWEEN now_ - interval '1 minute' AND now_ THEN
    RAISE EXCEPTION 'audit rows take the time they are written: created_at % refused', NEW.created_at
      USING ERRCODE = 'RBA02';
  END IF;
  NEW.chain_version := 2;
  IF NEW.change_details ? 'email' THEN
    NEW.personal_details := coalesce(NEW.personal_details, '{}'::jsonb)
      || jsonb_build_object('email', NEW.change_details -> 'email');
    NEW.change_details := NEW.change_details - 'email';
  END IF;
  NEW.erased_at := NULL;
  NEW.personal_salt := gen_random_uuid();
  NEW.personal_hash := audit_personal_digest(NEW);
  NEW.seq := head_seq + 1;
  NEW.prev_hash := head_hash;
  NEW.row_hash := audit_row_digest(NEW);
  PERFORM set_config('app.chain_head', NEW.organization_id || '|' || NEW.seq || '|' || NEW.row_hash, true);
  RETURN NEW;
END $$;
--> statement-breakpoint
-- The purge walks base tables with an organization_id: the audit's partitions are reached through their parent.
CREATE OR REPLACE FUNCTION purge_organization(proof text, org uuid) RETURNS jsonb
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  t text;
  n bigint;
  removed jsonb := '{}';
BEGIN
  IF proof IS NULL OR NOT EXISTS (SELECT 1 FROM job_runner_keys k
      WHERE k.verifier = encode(sha256(convert_to(proof, 'UTF8')), 'hex')) THEN
    RAISE EXCEPTION 'purge_organization: only the job runner purges' USING ERRCODE = '42501';
  END IF;
  IF NOT EXISTS (SELECT 1 FROM organization_deletions d WHERE d.organization_id = org AND d.purge_after <= now()) THEN
    RAISE EXCEPTION 'purge_organization: not deleted, or still within its 30 days' USING ERRCODE = '22023';
  END IF;
  PERFORM set_config('session_replication_role', 'replica', true);
  PERFORM set_config('ringbearer.purge_organization', org::text, true);
  FOR t IN SELECT c.relname FROM pg_class c JOIN pg_namespace ns ON ns.oid = c.relnamespace
            WHERE ns.nspname = 'public' AND c.relkind IN ('r', 'p') AND NOT c.relispartition
              AND EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = 'organization_id'
                            AND NOT a.attisdropped)
            ORDER BY c.relname LOOP
    EXECUTE format('DELETE FROM %I WHERE organization_id = $1', t) USING org;
    GET DIAGNOSTICS n = ROW_COUNT;
    IF n > 0 THEN removed := removed || jsonb_build_object(t, n); END IF;
  END LOOP;
  DELETE FROM organizations o WHERE o.id = org;
  PERFORM set_config('ringbearer.purge_organization', '', true);
  PERFORM set_config('session_replication_role', 'origin', true);
  RETURN removed;
END $$;
--> statement-breakpoint
DO $$
DECLARE app text := coalesce(nullif(current_setting('ringbearer.app_role', true), ''), 'ringbearer_app');
BEGIN
  REVOKE ALL ON FUNCTION audit_ensure_partitions(integer) FROM PUBLIC;
  EXECUTE format('GRANT EXECUTE ON FUNCTION audit_ensure_partitions(integer) TO %I', app);
END $$;
