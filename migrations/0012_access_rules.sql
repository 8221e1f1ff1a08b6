-- Access rules: time-of-day restrictions on access policies; looking up and accepting invitations.
--
-- 1. A grant's time_restrictions ({} = always) limit it to ISO days (1 = Monday … 7 = Sunday) and/or a local
--    time range in the organization's time zone, mirroring lib/time-restrictions.ts (tested to agree):
--      days only          → all day on those days
--      from < to          → from (inclusive) to to (exclusive) on each listed day
--      from > to          → overnight: from `from` on a listed day to `to` on the next day
--      from = to, or only one of them, or an empty days list → never (the app refuses to store these)
--    The instant is a parameter so tests can evaluate fixed instants; app_value_permission passes now().
CREATE FUNCTION app_policy_time_ok(restrictions jsonb, tz text, at timestamptz) RETURNS boolean
LANGUAGE sql STABLE AS $$
  SELECT CASE
    WHEN restrictions IS NULL OR restrictions = '{}'::jsonb THEN true
    ELSE (
      WITH p AS (
        SELECT extract(isodow FROM (at AT TIME ZONE tz))::int AS d,
               (at AT TIME ZONE tz)::time AS t,
               CASE WHEN jsonb_typeof(restrictions -> 'days') = 'array'
                    THEN ARRAY(SELECT jsonb_array_elements_text(restrictions -> 'days')::int) END AS days,
               (restrictions ->> 'from')::time AS f,
               (restrictions ->> 'to')::time AS u
      )
      SELECT CASE
        WHEN f IS NULL AND u IS NULL THEN days IS NULL OR d = ANY (days)
        WHEN f IS NULL OR u IS NULL THEN false
        WHEN f < u THEN (days IS NULL OR d = ANY (days)) AND t >= f AND t < u
        WHEN f > u THEN ((days IS NULL OR d = ANY (days)) AND t >= f)
                     OR ((days IS NULL OR (CASE WHEN d = 1 THEN 7 ELSE d - 1 END) = ANY (days)) AND t < u)
        ELSE false END
      FROM p)
  END
$$;
--> statement-breakpoint
-- 0007's app_value_permission (baseline, grants, the emergency-session clause), with each grant's time window
-- checked in the organization's time zone now.
CREATE OR REPLACE FUNCTION app_value_permission(variable uuid, env uuid) RETURNS int LANGUAGE sql STABLE AS $$
  WITH e AS (SELECT id, name, environment_type FROM environments WHERE id = env AND organization_id = app_org_id()),
  r AS (SELECT app_role() AS role),
  o AS (SELECT time_zone FROM organizations WHERE id = app_org_id()),
  g AS (
    SELECT vap.permission_level FROM variable_access_policies vap, e, r, o
     WHERE vap.organization_id = app_org_id() AND vap.is_active
       AND (vap.expires_at IS NULL OR vap.expires_at > now())
       AND (vap.user_id = app_user_id() OR vap.role = r.role)
       AND (vap.variable_id IS NULL OR vap.variable_id = variable)
       AND (vap.tag IS NULL OR vap.tag = ANY (coalesce((SELECT tags FROM environment_variables WHERE id = variable), '{}'::text[])))
       AND (vap.environment_restrictions IS NULL OR e.name = ANY (vap.environment_restrictions))
       AND app_policy_time_ok(vap.time_restrictions, o.time_zone, now()))
  SELECT greatest(
    (SELECT baseline_permission(r.role, e.environment_type) FROM e, r),
    (SELECT max(CASE g.permission_level WHEN 'write' THEN 2 WHEN 'admin' THEN 3 ELSE 1 END) FROM g),
    (SELECT 2 FROM r WHERE app_emergency_ok(env)
        AND (r.role IN ('owner', 'admin', 'on_call') OR EXISTS (SELECT 1 FROM g WHERE g.permission_level = 'emergency'))),
    0)
$$;
--> statement-breakpoint
-- 2. Invitations. The invitee is not a member yet, so RLS hides the row from them; these two SECURITY DEFINER
--    functions are the only way in, by the SHA-256 of the token. RLS is forced on the owner too, so the owner
--    (these functions run as it) gets a SELECT-only policy on invitations; the app role does not.
DO $$
BEGIN
  EXECUTE format('CREATE POLICY invitations_definer_lookup ON invitations FOR SELECT TO %I USING (true)', current_user);
END $$;
--> statement-breakpoint
-- What the invitation page shows: organization, email, role and state — never the token hash or the inviter.
CREATE FUNCTION invitation_by_token(hash varchar)
RETURNS TABLE (organization_name text, organization_slug text, email text, role text, status text, expires_at timestamptz)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
DECLARE
  inv invitations;
  previous_org text := current_setting('app.organization_id', true);
  org organizations;
BEGIN
  SELECT * INTO inv FROM invitations i WHERE i.token_hash = hash;
  IF NOT FOUND THEN RETURN; END IF;
  -- organizations is RLS-forced as well: read it in the invitation's context, then put the caller's back.
  PERFORM set_config('app.organization_id', inv.organization_id::text, true);
  SELECT * INTO org FROM organizations o WHERE o.id = inv.organization_id;
  PERFORM set_config('app.organization_id', coalesce(previous_org, ''), true);
  RETURN QUERY SELECT org.name::text, org.slug::text, inv.email::text, inv.role::text,
    CASE WHEN inv.accepted_at IS NOT NULL THEN 'accepted'
         WHEN inv.revoked_at IS NOT NULL THEN 'revoked'
         WHEN inv.expires_at <= now() THEN 'expired'
         ELSE 'pending' END,
    inv.expires_at;
END $$;
--> statement-breakpoint
-- Accepts an invitation for the user of the request context (app.user_id must be `acceptor`): the invitation
-- must be pending, unexpired and for that user's email. Inserts the membership, marks the invitation accepted
-- and appends the audit row, in the caller's transaction. On success the request context stays in the
-- invitation's organization (the new member's), which the audit chain's commit-time trigger needs.
-- Returns one row: status accepted | already_member | used | revoked | expired | wrong_email | unknown.
CREATE FUNCTION accept_invitation(hash varchar, acceptor uuid)
RETURNS TABLE (status text, organization_slug text)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
DECLARE
  inv invitations;
  org_id uuid;
  acceptor_email text;
  previous_org text := current_setting('app.organization_id', true);
  slug text;
  member boolean;
BEGIN
  IF acceptor IS NULL OR acceptor IS DISTINCT FROM app_user_id() THEN
    RAISE EXCEPTION 'an invitation is accepted by the signed-in user only' USING ERRCODE = '42501';
  END IF;
  SELECT i.organization_id INTO org_id FROM invitations i WHERE i.token_hash = hash;
  IF NOT FOUND THEN RETURN QUERY SELECT 'unknown'::text, NULL::text; RETURN; END IF;
  -- In the invitation's organization from here (memberships, audit and the row lock need it).
  PERFORM set_config('app.organization_id', org_id::text, true);
  SELECT * INTO inv FROM invitations i WHERE i.token_hash = hash FOR UPDATE;
  SELECT o.slug INTO slug FROM organizations o WHERE o.id = inv.organization_id;
  SELECT EXISTS (SELECT 1 FROM memberships m WHERE m.organization_id = inv.organization_id AND m.user_id = acceptor)
    INTO member;
  SELECT u.email INTO acceptor_email FROM users u WHERE u.id = acceptor;
  status := CASE
    WHEN inv.revoked_at IS NOT NULL THEN 'revoked'
    WHEN inv.accepted_at IS NOT NULL AND inv.accepted_by = acceptor AND member THEN 'already_member'
    WHEN inv.accepted_at IS NOT NULL THEN 'used'
    WHEN inv.expires_at <= now() THEN 'expired'
    WHEN lower(acceptor_email) IS DISTINCT FROM lower(inv.email) THEN 'wrong_email'
    WHEN member THEN 'already_member'
    ELSE 'accepted' END;
  IF status <> 'accepted' THEN
    PERFORM set_config('app.organization_id', coalesce(previous_org, ''), true);
    RETURN QUERY SELECT status, CASE WHEN status = 'already_member' THEN slug END;
    RETURN;
  END IF;
  INSERT INTO memberships (organization_id, user_id, role) VALUES (inv.organization_id, acceptor, inv.role);
  UPDATE invitations SET accepted_at = now(), accepted_by = acceptor WHERE id = inv.id;
  INSERT INTO environment_variable_audit (organization_id, user_id, action, resource_type, resource_id,
    change_details, security_context, risk_level, ip_address, user_agent, session_id)
  VALUES (inv.organization_id, acceptor, 'create', 'member', acceptor,
    jsonb_build_object('role', inv.role, 'email', inv.email, 'invitation', inv.id, 'invited_by', inv.invited_by),
    jsonb_build_object('db_role', session_user, 'via', 'accept_invitation'),
    -- as lib/risk.ts scores member:role / member:invite
    CASE WHEN inv.role IN ('owner', 'admin') THEN 'HIGH' ELSE 'MEDIUM' END,
    nullif(current_setting('app.ip', true), '')::inet,
    nullif(current_setting('app.user_agent', true), ''),
    nullif(current_setting('app.session_id', true), ''));
  RETURN QUERY SELECT status, slug;
END $$;
--> statement-breakpoint
DO $$
DECLARE app text := coalesce(nullif(current_setting('ringbearer.app_role', true), ''), 'ringbearer_app');
BEGIN
  REVOKE ALL ON FUNCTION invitation_by_token(varchar) FROM PUBLIC;
  REVOKE ALL ON FUNCTION accept_invitation(varchar, uuid) FROM PUBLIC;
  EXECUTE format('GRANT EXECUTE ON FUNCTION invitation_by_token(varchar) TO %I', app);
  EXECUTE format('GRANT EXECUTE ON FUNCTION accept_invitation(varchar, uuid) TO %I', app);
END $$;
