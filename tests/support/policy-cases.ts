/** The baseline table from docs/security.md: role × environment tier. */
export const BASELINE = {
  owner: { lower: "admin", staging: "admin", production: "admin" },
  admin: { lower: "admin", staging: "admin", production: "admin" },
  lead: { lower: "admin", staging: "admin", production: "read" },
  developer: { lower: "write", staging: "write", production: "none" },
  viewer: { lower: "read", staging: "read", production: "none" },
  security_reviewer: { lower: "none", staging: "none", production: "none" },
  on_call: { lower: "read", staging: "read", production: "read" },
} as const;
