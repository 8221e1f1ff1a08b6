-- Undoes 0017_sync_progress.
DROP TRIGGER IF EXISTS deployment_syncs_notify_update ON deployment_syncs;
DROP TRIGGER IF EXISTS deployment_syncs_notify_insert ON deployment_syncs;
DROP FUNCTION IF EXISTS notify_syncs();
DROP INDEX IF EXISTS idx_value_versions_env_created;
DROP INDEX IF EXISTS idx_deployment_syncs_target;
DROP INDEX IF EXISTS deployment_syncs_one_running;
ALTER TABLE sync_targets DROP COLUMN IF EXISTS auto_push;
