-- CLI logins (issue 14): `ringbearer login` asks for a short-lived personal token the way OAuth device authorization
-- does (RFC 8628). The CLI gets a device code (kept) and a user code (shown); a signed-in person enters the user code
-- in the console and approves it for one of their organizations; the CLI's next poll receives a personal service
-- token minted in that person's name. Only keyed hashes of both codes are stored (db/vault.ts). Nobody but the
-- functions below touches the table: before approval a login belongs to no organization.
CREATE TABLE "cli_logins" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"device_code_hash" varchar(64) NOT NULL,
	"user_code_hash" varchar(64) NOT NULL,
	"client_name" varchar(100) NOT NULL,
	"requested_from" varchar(45),
	"user_agent" varchar(200),
	"status" varchar(16) DEFAULT 'pending' NOT NULL,
	"organization_id" uuid,
	"decided_by" uuid,
	"decided_at" timestamp with time zone,
	"environment_ids" uuid[],
	"access" varchar(16),
	"token_id" uuid,
	"last_polled_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	CONSTRAINT "cli_logins_deviceCodeHash_unique" UNIQUE("device_code_hash"),
	CONSTRAINT "cli_logins_userCodeHash_unique" UNIQUE("user_code_hash"),
	CONSTRAINT "cli_logins_status_check" CHECK ("cli_logins"."status" in ('pending', 'approved', 'denied', 'delivered')),
	CONSTRAINT "cli_logins_access_check" CHECK ("cli_logins"."access" is null or "cli_logins"."access" in ('read', 'read-write'))
);
--> statement-breakpoint
ALTER TABLE "cli_logins" ADD CONSTRAINT "cli_logins_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cli_logins" ADD CONSTRAINT "cli_logins_decided_by_users_id_fk" FOREIGN KEY ("decided_by") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cli_logins" ADD CONSTRAINT "cli_logins_token_id_service_tokens_id_fk" FOREIGN KEY ("token_id") REFERENCES "public"."service_tokens"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "idx_cli_logins_expires" ON "cli_logins" USING btree ("expires_at");--> statement-breakpoint
-- A personal token (minted by a CLI login, for its creator alone) is told apart from an organization's service tokens.
ALTER TABLE "service_tokens" ADD COLUMN "kind" varchar(16) DEFAULT 'service' NOT NULL;--> statement-breakpoint
ALTER TABLE "service_tokens" ADD CONSTRAINT "service_tokens_kind_check" CHECK ("service_tokens"."kind" in ('service', 'personal'));
--> statement-breakpoint
DO $$
BEGIN
  ALTER TABLE cli_logins ENABLE ROW LEVEL SECURITY;
  ALTER TABLE cli_logins FORCE ROW LEVEL SECURITY;
  -- The functions below run as the owner; a backup reads every row as the owner too (0023). The app role has no
  -- grant and no policy: it reaches a login only through the functions.
  EXECUTE format('CREATE POLICY cli_logins_definer ON cli_logins FOR ALL TO %I USING (true) WITH CHECK (true)', current_user);
  EXECUTE format('CREATE POLICY cli_logins_owner_backup_read ON cli_logins FOR SELECT TO %I USING (session_user = current_user)', current_user);
  REVOKE ALL ON cli_logins FROM PUBLIC;
END $$;
--> statement-breakpoint
-- A new login: its codes' hashes, what the CLI said it runs on, and when it ends. Logins ended a day ago go.
CREATE FUNCTION cli_login_start(device_hash text, user_hash text, client text, from_address text, agent text,
                                lifetime interval)
RETURNS timestamptz LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE ends timestamptz := now() + lifetime;
BEGIN
  DELETE FROM cli_logins WHERE expires_at < now() - interval '1 day';
  INSERT INTO cli_logins (device_code_hash, user_code_hash, client_name, requested_from, user_agent, expires_at)
  VALUES (device_hash, user_hash, left(client, 100), left(from_address, 45), left(agent, 200), ends);
  RETURN ends;
END $$;
--> statement-breakpoint
-- What a signed-in person sees before deciding: a pending login of that user code, while it lasts.
CREATE FUNCTION cli_login_pending(user_hash text)
RETURNS TABLE (id uuid, client_name varchar, requested_from varchar, user_agent varchar, created_at timestamptz,
               expires_at timestamptz)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
  SELECT l.id, l.client_name, l.requested_from, l.user_agent, l.created_at, l.expires_at FROM cli_logins l
   WHERE l.user_code_hash = user_hash AND l.status = 'pending' AND l.expires_at > now()
     AND app_user_id() IS NOT NULL
$$;
--> statement-breakpoint
-- The caller approves (for their current organization, its environments, an access) or denies a pending login.
-- Only a member of that organization, in their own context; false when there is no such pending login.
CREATE FUNCTION cli_login_decide(user_hash text, approve boolean, env_ids uuid[], token_access text)
RETURNS boolean LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE n int;
BEGIN
  IF app_user_id() IS NULL OR app_org_id() IS NULL OR NOT EXISTS (
       SELECT 1 FROM memberships m WHERE m.user_id = app_user_id() AND m.organization_id = app_org_id()) THEN
    RETURN false;
  END IF;
  UPDATE cli_logins l SET status = CASE WHEN approve THEN 'approved' ELSE 'denied' END,
         organization_id = app_org_id(), decided_by = app_user_id(), decided_at = now(),
         environment_ids = CASE WHEN approve THEN env_ids END, access = CASE WHEN approve THEN token_access END
   WHERE l.user_code_hash = user_hash AND l.status = 'pending' AND l.expires_at > now();
  GET DIAGNOSTICS n = ROW_COUNT;
  RETURN n = 1;
END $$;
--> statement-breakpoint
-- One poll of the CLI: where its login stands, who approved it with which role today, and whether it polled sooner
-- than `min_gap` after its last poll (RFC 8628 slow_down). Each poll is remembered.
CREATE FUNCTION cli_login_poll(device_hash text, min_gap interval)
RETURNS TABLE (id uuid, status varchar, expired boolean, too_soon boolean, organization_id uuid, decided_by uuid,
               decider_role varchar, environment_ids uuid[], access varchar, client_name varchar)
LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = public, pg_temp AS $$
  WITH before AS (SELECT l.id, l.last_polled_at FROM cli_logins l WHERE l.device_code_hash = device_hash FOR UPDATE),
  polled AS (UPDATE cli_logins l SET last_polled_at = now() FROM before b WHERE l.id = b.id RETURNING l.*)
  SELECT p.id, p.status, p.expires_at <= now(), coalesce(b.last_polled_at > now() - min_gap, false),
         p.organization_id, p.decided_by,
         (SELECT m.role FROM memberships m WHERE m.user_id = p.decided_by AND m.organization_id = p.organization_id),
         p.environment_ids, p.access, p.client_name
    FROM polled p JOIN before b ON b.id = p.id
$$;
--> statement-breakpoint
-- Hands an approved login its token once: in the approver's own context, in the transaction that minted the token.
CREATE FUNCTION cli_login_deliver(device_hash text, minted uuid)
RETURNS boolean LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE n int;
BEGIN
  UPDATE cli_logins l SET status = 'delivered', token_id = minted
   WHERE l.device_code_hash = device_hash AND l.status = 'approved' AND l.expires_at > now()
     AND l.decided_by = app_user_id() AND l.organization_id = app_org_id();
  GET DIAGNOSTICS n = ROW_COUNT;
  RETURN n = 1;
END $$;
--> statement-breakpoint
DO $$
DECLARE app text := coalesce(nullif(current_setting('ringbearer.app_role', true), ''), 'ringbearer_app');
BEGIN
  EXECUTE 'REVOKE ALL ON FUNCTION cli_login_start(text, text, text, text, text, interval) FROM PUBLIC';
  EXECUTE 'REVOKE ALL ON FUNCTION cli_login_pending(text) FROM PUBLIC';
  EXECUTE 'REVOKE ALL ON FUNCTION cli_login_decide(text, boolean, uuid[], text) FROM PUBLIC';
  EXECUTE 'REVOKE ALL ON FUNCTION cli_login_poll(text, interval) FROM PUBLIC';
  EXECUTE 'REVOKE ALL ON FUNCTION cli_login_deliver(text, uuid) FROM PUBLIC';
  EXECUTE format('GRANT EXECUTE ON FUNCTION cli_login_start(text, text, text, text, text, interval) TO %I', app);
  EXECUTE format('GRANT EXECUTE ON FUNCTION cli_login_pending(text) TO %I', app);
  EXECUTE format('GRANT EXECUTE ON FUNCTION cli_login_decide(text, boolean, uuid[], text) TO %I', app);
  EXECUTE format('GRANT EXECUTE ON FUNCTION cli_login_poll(text, interval) TO %I', app);
  EXECUTE format('GRANT EXECUTE ON FUNCTION cli_login_deliver(text, uuid) TO %I', app);
END $$;
