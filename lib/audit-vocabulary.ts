/** What the audit trail records: its actions and resource types (the database CHECKs use the same lists). */
export const AUDIT_ACTIONS = [
  "create",
  "read",
  "update",
  "delete",
  "rotate",
  "decrypt",
  "sync",
  "restore",
  "login",
  "logout",
  "export",
  "import",
  "promote",
] as const;
export const AUDIT_RESOURCES = [
  "variable",
  "value",
  "permission",
  "environment",
  "organization",
  "session",
  "settings",
  "member",
] as const;
