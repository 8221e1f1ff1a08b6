-- Backups on the operator console (issue 17): each `npm run backup` records how it went here, as the owner that
-- ran it (a failed one too, when the database answers). The alert job reads the latest (backup_failed,
-- backup_overdue); operators see them on /ops. No path beyond the backup folder's own name, no key material.
CREATE TABLE ops_backups (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  finished_at timestamptz NOT NULL DEFAULT now(),
  ok boolean NOT NULL,
  folder varchar(255) NOT NULL,
  tables integer,
  rows bigint,
  detail text
);
--> statement-breakpoint
CREATE INDEX ops_backups_finished ON ops_backups (finished_at DESC);
--> statement-breakpoint
ALTER TABLE ops_backups ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE ops_backups FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY ops_backups_read ON ops_backups FOR SELECT USING (true);
--> statement-breakpoint
DO $$
DECLARE app text := coalesce(nullif(current_setting('ringbearer.app_role', true), ''), 'ringbearer_app');
BEGIN
  EXECUTE format('CREATE POLICY ops_backups_owner_record ON ops_backups FOR INSERT TO %I
                  WITH CHECK (session_user = current_user)', current_user);
  EXECUTE format('CREATE POLICY ops_backups_owner_backup_read ON ops_backups FOR SELECT TO %I
                  USING (session_user = current_user)', current_user);
  REVOKE ALL ON ops_backups FROM PUBLIC;
  EXECUTE format('GRANT SELECT ON ops_backups TO %I', app);
END $$;
