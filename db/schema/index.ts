export * from "./audit";
export * from "./deployments";
export * from "./environments";
export * from "./keys";
export * from "./organizations";
export * from "./variables";
