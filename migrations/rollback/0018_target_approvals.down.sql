-- Undoes 0018_target_approvals (fails while a target:update change request exists: decide or delete it first).
ALTER TABLE "change_requests" DROP CONSTRAINT "change_requests_action_check";
ALTER TABLE "change_requests" ADD CONSTRAINT "change_requests_action_check" CHECK ("change_requests"."action" in ('values', 'variable:update', 'variable:delete', 'environment:update', 'protection:remove', 'policy:grant', 'member:role'));
