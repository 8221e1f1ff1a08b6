-- Operations (issue 17): the installation's operators — users who may open /ops — apart from any organization
-- role. Only the owner grants and revokes (`npm run ops:grant`, connected as itself); the app role reads whether
-- the signed-in user is one, and nothing about anyone else. ops_events is the installation's own log of what
-- operators did (a grant, a cancelled session, an acknowledged alert): no organization's audit chain holds it.
-- It is append-only, read and written by operators only.
CREATE TABLE installation_operators (
  user_id uuid PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
  granted_at timestamptz NOT NULL DEFAULT now(),
  granted_by varchar(320) NOT NULL
);
--> statement-breakpoint
CREATE TABLE ops_events (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  occurred_at timestamptz NOT NULL DEFAULT now(),
  actor varchar(320) NOT NULL,
  action varchar(64) NOT NULL,
  subject text,
  details jsonb NOT NULL DEFAULT '{}'::jsonb
);
--> statement-breakpoint
CREATE INDEX ops_events_occurred ON ops_events (occurred_at DESC);
--> statement-breakpoint
CREATE FUNCTION app_is_operator() RETURNS boolean LANGUAGE sql STABLE AS
$$ SELECT EXISTS (SELECT 1 FROM installation_operators WHERE user_id = app_user_id()) $$;
--> statement-breakpoint
CREATE FUNCTION refuse_ops_event_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'append_only: the operations log is never changed' USING ERRCODE = 'RBA01';
END $$;
--> statement-breakpoint
CREATE TRIGGER ops_events_append_only BEFORE UPDATE OR DELETE ON ops_events
  FOR EACH ROW EXECUTE FUNCTION refuse_ops_event_change();
--> statement-breakpoint
ALTER TABLE installation_operators ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE installation_operators FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE ops_events ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE ops_events FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY installation_operators_self ON installation_operators FOR SELECT USING (user_id = app_user_id());
--> statement-breakpoint
CREATE POLICY ops_events_read ON ops_events FOR SELECT USING (app_is_operator());
--> statement-breakpoint
CREATE POLICY ops_events_write ON ops_events FOR INSERT WITH CHECK (app_is_operator());
--> statement-breakpoint
DO $$
DECLARE app text := coalesce(nullif(current_setting('ringbearer.app_role', true), ''), 'ringbearer_app');
BEGIN
  -- The owner, logged in itself (not inside a definer function the app calls): backups read every row (the
  -- policy name is what db/backup looks for), `npm run ops:grant` adds and removes operators and logs it.
  EXECUTE format('CREATE POLICY installation_operators_owner_backup_read ON installation_operators FOR SELECT TO %I
                  USING (session_user = current_user)', current_user);
  EXECUTE format('CREATE POLICY installation_operators_owner_grant ON installation_operators FOR INSERT TO %I
                  WITH CHECK (session_user = current_user)', current_user);
  EXECUTE format('CREATE POLICY installation_operators_owner_revoke ON installation_operators FOR DELETE TO %I
                  USING (session_user = current_user)', current_user);
  EXECUTE format('CREATE POLICY ops_events_owner_backup_read ON ops_events FOR SELECT TO %I
                  USING (session_user = current_user)', current_user);
  EXECUTE format('CREATE POLICY ops_events_owner_write ON ops_events FOR INSERT TO %I
                  WITH CHECK (session_user = current_user)', current_user);
  REVOKE ALL ON installation_operators, ops_events FROM PUBLIC;
  EXECUTE format('GRANT SELECT ON installation_operators TO %I', app);
  EXECUTE format('GRANT SELECT, INSERT ON ops_events TO %I', app);
END $$;
