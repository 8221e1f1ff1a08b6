-- Undoes 0008_member_sessions.
DROP POLICY sessions_member_admin_update ON sessions;
DROP POLICY sessions_member_admin_select ON sessions;
