-- Part 1 (drizzle-kit): rate-limiter-flexible's Drizzle store replaces the hand-written login_attempts
-- counters (their counts are dropped: at most 15 minutes of throttling is lost).
CREATE TABLE "rate_limits" (
	"key" text PRIMARY KEY NOT NULL,
	"points" integer DEFAULT 0 NOT NULL,
	"expire" timestamp with time zone
);
--> statement-breakpoint
DROP TABLE "login_attempts" CASCADE;--> statement-breakpoint
CREATE INDEX "idx_rate_limits_expire" ON "rate_limits" USING btree ("expire");
--> statement-breakpoint
-- Part 2 (hand-written): the users table. Before this migration the app role could read every user's
-- password hash and TOTP secret and update any user's row. Now:
--   * RLS is enabled and forced: the app role sees itself, the members of the organization in its request
--     context, and users who appear in that organization's audit trail (former members' names in history);
--     it updates only its own row; the owner role (migrations, SECURITY DEFINER functions, operators) sees
--     and changes every row through its own policy.
--   * Column privileges: password_hash and totp_secret are not readable by the app role at all, and only
--     name and the TOTP columns are updatable.
--   * Passwords are checked without the hash leaving the database: password_params() returns only the
--     argon2id parameters and salt (for an unknown email, made-up ones that stay the same for that email),
--     the app hashes the typed password with them and password_check() compares inside PostgreSQL.
ALTER TABLE users ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE users FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY users_visible ON users FOR SELECT USING (
  id = (SELECT app_user_id())
  OR EXISTS (SELECT 1 FROM memberships m WHERE m.user_id = users.id AND m.organization_id = (SELECT app_org_id()))
  OR EXISTS (SELECT 1 FROM environment_variable_audit a
              WHERE a.user_id = users.id AND a.organization_id = (SELECT app_org_id())));
--> statement-breakpoint
-- New accounts (invitations, the demo seed) start without a second factor and enabled.
CREATE POLICY users_insert ON users FOR INSERT WITH CHECK (
  totp_secret IS NULL AND totp_enabled_at IS NULL AND totp_last_step IS NULL AND disabled_at IS NULL);
--> statement-breakpoint
CREATE POLICY users_update_self ON users FOR UPDATE
  USING (id = (SELECT app_user_id())) WITH CHECK (id = (SELECT app_user_id()));
--> statement-breakpoint
DO $$
BEGIN
  EXECUTE format('CREATE POLICY users_owner ON users FOR ALL TO %I USING (true) WITH CHECK (true)', current_user);
END $$;
--> statement-breakpoint
-- A random secret that makes the stand-in salts of unknown emails unpredictable (so password_params does
-- not tell which emails have an account). Readable by the owner only: no grant, no policy for anyone else.
CREATE TABLE auth_pepper (
  id boolean PRIMARY KEY DEFAULT true CHECK (id),
  secret bytea NOT NULL
);
--> statement-breakpoint
INSERT INTO auth_pepper (secret)
  VALUES (decode(md5(gen_random_uuid()::text) || md5(gen_random_uuid()::text), 'hex'));
--> statement-breakpoint
-- The PHC prefix ($argon2id$v=19$m=…,t=…,p=…$<salt>) of the email's hash and its digest's length in base64
-- characters; never the digest. Unknown emails get today's parameters with a salt derived from the email.
CREATE FUNCTION password_params(p_email text) RETURNS TABLE (prefix text, digest_chars integer)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
  SELECT coalesce(u.prefix,
           '$argon2id$v=19$m=19456,t=2,p=1$' ||
           rtrim(encode(substring(sha256(p.secret || convert_to(lower(p_email), 'UTF8')) FROM 1 FOR 16), 'base64'), '=')),
         coalesce(u.digest_chars, 43)
    FROM auth_pepper p
    LEFT JOIN (SELECT regexp_replace(password_hash, '\$[^$]*$', '') AS prefix,
                      length(substring(password_hash FROM '[^$]*$')) AS digest_chars
                 FROM users WHERE email = lower(p_email)) u ON true
$$;
--> statement-breakpoint
-- The user whose stored hash equals the candidate the app computed (compared as SHA-256 digests, so the
-- comparison's timing says nothing about the hash), if enabled: what sign-in needs, never the hash.
CREATE FUNCTION password_check(p_email text, p_candidate text)
RETURNS TABLE (id uuid, email text, name text, totp_secret text, totp_enabled_at timestamptz, totp_last_step bigint)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
  SELECT u.id, u.email::text, u.name::text, u.totp_secret, u.totp_enabled_at, u.totp_last_step
    FROM users u
   WHERE u.email = lower(p_email) AND u.disabled_at IS NULL
     AND sha256(convert_to(u.password_hash, 'UTF8')) = sha256(convert_to(p_candidate, 'UTF8'))
$$;
--> statement-breakpoint
-- The caller's own sealed TOTP secret (AES-256-GCM under the master key, which is not in the database), for
-- checking a code during step-up, enrolment or turning two-factor off.
CREATE FUNCTION my_totp_secret() RETURNS text
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
  SELECT totp_secret FROM users WHERE id = app_user_id() AND disabled_at IS NULL
$$;
--> statement-breakpoint
-- Whether the database holds any account (npm start seeds the demo only into an empty one).
CREATE FUNCTION any_user_exists() RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
  SELECT EXISTS (SELECT 1 FROM users)
$$;
--> statement-breakpoint
DO $$
DECLARE app text := coalesce(nullif(current_setting('ringbearer.app_role', true), ''), 'ringbearer_app');
BEGIN
  EXECUTE format('REVOKE ALL ON users FROM %I', app);
  EXECUTE format('GRANT SELECT (id, email, name, created_at, disabled_at, totp_enabled_at, totp_last_step) ON users TO %I', app);
  EXECUTE format('GRANT INSERT ON users TO %I', app);
  EXECUTE format('GRANT UPDATE (name, totp_secret, totp_enabled_at, totp_last_step) ON users TO %I', app);
  EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON rate_limits TO %I', app);
  REVOKE ALL ON FUNCTION password_params(text) FROM PUBLIC;
  REVOKE ALL ON FUNCTION password_check(text, text) FROM PUBLIC;
  REVOKE ALL ON FUNCTION my_totp_secret() FROM PUBLIC;
  REVOKE ALL ON FUNCTION any_user_exists() FROM PUBLIC;
  EXECUTE format('GRANT EXECUTE ON FUNCTION password_params(text) TO %I', app);
  EXECUTE format('GRANT EXECUTE ON FUNCTION password_check(text, text) TO %I', app);
  EXECUTE format('GRANT EXECUTE ON FUNCTION my_totp_secret() TO %I', app);
  EXECUTE format('GRANT EXECUTE ON FUNCTION any_user_exists() TO %I', app);
END $$;
