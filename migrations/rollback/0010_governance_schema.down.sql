DROP TABLE change_request_items;
DROP TABLE change_requests;
DROP TABLE invitations;
ALTER TABLE sessions DROP COLUMN verified_at, DROP COLUMN mfa;
ALTER TABLE users DROP COLUMN totp_secret, DROP COLUMN totp_enabled_at, DROP COLUMN totp_last_step;
ALTER TABLE environment_variable_audit DROP CONSTRAINT environment_variable_audit_action_check;
ALTER TABLE environment_variable_audit DROP CONSTRAINT environment_variable_audit_resource_check;
ALTER TABLE environment_variable_audit ADD CONSTRAINT environment_variable_audit_action_check CHECK (action in ('create', 'read', 'update', 'delete', 'rotate', 'decrypt', 'sync', 'restore', 'login', 'logout', 'export', 'import', 'promote')) NOT VALID;
ALTER TABLE environment_variable_audit ADD CONSTRAINT environment_variable_audit_resource_check CHECK (resource_type in ('variable', 'value', 'permission', 'environment', 'organization', 'session', 'settings', 'member')) NOT VALID;
