-- Owners and admins may see and revoke the sessions of their organization's members ("revoke all sessions"),
-- in addition to each user's own sessions.
CREATE POLICY sessions_member_admin_select ON sessions FOR SELECT USING (
  (SELECT app_role()) IN ('owner', 'admin')
  AND user_id IN (SELECT m.user_id FROM memberships m WHERE m.organization_id = (SELECT app_org_id())));
--> statement-breakpoint
CREATE POLICY sessions_member_admin_update ON sessions FOR UPDATE USING (
  (SELECT app_role()) IN ('owner', 'admin')
  AND user_id IN (SELECT m.user_id FROM memberships m WHERE m.organization_id = (SELECT app_org_id())));
