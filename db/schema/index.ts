export * from "./approvals";
export * from "./audit";
export * from "./deployments";
export * from "./environments";
export * from "./invitations";
export * from "./keys";
export * from "./organizations";
export * from "./variables";
