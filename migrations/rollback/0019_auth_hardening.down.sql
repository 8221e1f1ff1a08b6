-- Undoes 0019_auth_hardening: the users table is open to the app role again (as 0001/0010 left it), and the
-- hand-written login_attempts counters come back in place of rate-limiter-flexible's rate_limits.
DROP FUNCTION IF EXISTS any_user_exists();
DROP FUNCTION IF EXISTS my_totp_secret();
DROP FUNCTION IF EXISTS password_check(text, text);
DROP FUNCTION IF EXISTS password_params(text);
DROP TABLE IF EXISTS auth_pepper;
DROP POLICY IF EXISTS users_owner ON users;
DROP POLICY IF EXISTS users_update_self ON users;
DROP POLICY IF EXISTS users_insert ON users;
DROP POLICY IF EXISTS users_visible ON users;
ALTER TABLE users NO FORCE ROW LEVEL SECURITY;
ALTER TABLE users DISABLE ROW LEVEL SECURITY;
DROP TABLE IF EXISTS rate_limits;
CREATE TABLE "login_attempts" (
	"key" text PRIMARY KEY NOT NULL,
	"window_start" timestamp with time zone NOT NULL,
	"failures" integer DEFAULT 0 NOT NULL
);
DO $$
DECLARE app text := coalesce(nullif(current_setting('ringbearer.app_role', true), ''), 'ringbearer_app');
BEGIN
  EXECUTE format('REVOKE ALL ON users FROM %I', app);
  EXECUTE format('GRANT SELECT ON users TO %I', app);
  EXECUTE format('GRANT INSERT, UPDATE (name, password_hash, disabled_at) ON users TO %I', app);
  EXECUTE format('GRANT UPDATE (totp_secret, totp_enabled_at, totp_last_step) ON users TO %I', app);
  EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON login_attempts TO %I', app);
END $$;
