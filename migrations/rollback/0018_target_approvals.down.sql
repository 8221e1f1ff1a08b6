-- Undoes 0018_target_approvals (sync target change requests are removed; RLS is forced on the owner too).
ALTER TABLE change_requests NO FORCE ROW LEVEL SECURITY;
DELETE FROM change_requests WHERE action = 'target:update';
ALTER TABLE change_requests FORCE ROW LEVEL SECURITY;
ALTER TABLE "change_requests" DROP CONSTRAINT "change_requests_action_check";
ALTER TABLE "change_requests" ADD CONSTRAINT "change_requests_action_check" CHECK ("change_requests"."action" in ('values', 'variable:update', 'variable:delete', 'environment:update', 'protection:remove', 'policy:grant', 'member:role'));
