/**
 * The layering of the house (docs/architecture.md), checked by `npm run check`:
 * lib/ (pure rules) ← db/ (schema, repositories, vault, client) ← server/ (services, the action builder)
 * ← app/ (pages, actions, routes); components/ are presentational and never reach into app/ or db/.
 */
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: "no-circular",
      severity: "error",
      comment: "Import cycles make the order of module start-up matter and the layers meaningless.",
      from: {},
      to: { circular: true },
    },
    {
      name: "lib-is-pure",
      severity: "error",
      comment: "lib/ holds pure rules: no database, no server, no pages, no framework.",
      from: { path: "^lib/" },
      to: {
        path: [
          "^db/",
          "^server/",
          "^app/",
          "^components/",
          "^node_modules/(next|react|react-dom|postgres|drizzle-orm)/",
        ],
      },
    },
    {
      name: "db-below-server",
      severity: "error",
      comment:
        "db/ talks SQL and decides nothing about requests: it imports no server/, app/ or components/.",
      from: { path: "^db/" },
      to: { path: ["^server/", "^app/", "^components/"] },
    },
    {
      name: "server-below-app",
      severity: "error",
      comment: "Services do not import pages, actions or components.",
      from: { path: "^server/" },
      to: { path: ["^app/", "^components/"] },
    },
    {
      name: "components-not-app",
      severity: "error",
      comment: "Components receive actions through props or import them from server/, never from app/.",
      from: { path: "^components/" },
      to: { path: "^app/" },
    },
    {
      name: "components-no-database",
      severity: "error",
      comment: "Components may name the shapes the database returns (types), never run its code.",
      from: { path: "^components/" },
      to: { path: "^db/", dependencyTypesNot: ["type-only"] },
    },
    {
      name: "services-use-repos",
      severity: "error",
      comment:
        "Services decide; their SQL lives in db/repos. Types from the schema are fine, Drizzle's query builder and tables are not.",
      from: { path: "^server/" },
      to: { path: ["^node_modules/drizzle-orm/", "^db/schema"], dependencyTypesNot: ["type-only"] },
    },
    {
      name: "vault-holds-the-keys",
      severity: "error",
      comment:
        "Only the vault encrypts, decrypts, hashes or seals (the backup verifier, master-key check and migrator check keys).",
      from: {
        pathNot: [
          "^lib/",
          "^db/vault\\.ts$",
          "^db/backup/",
          "^db/master-key-check\\.ts$",
          "^db/master-rotation\\.ts$",
          "^db/master-keys\\.ts$",
          "^db/migrate\\.ts$",
          "^db/job-contexts\\.ts$",
          "^server/env\\.ts$",
          "^server/startup-check\\.ts$",
        ],
      },
      to: { path: "^lib/crypto\\.ts$", dependencyTypesNot: ["type-only"] },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    exclude: { path: ["^node_modules", "^\\.next", "^\\.data"] },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    enhancedResolveOptions: {
      exportsFields: ["exports"],
      conditionNames: ["import", "require", "node", "default", "types"],
    },
  },
};
