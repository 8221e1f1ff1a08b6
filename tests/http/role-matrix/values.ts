/** The role matrix's expectations: Variables, values, environments, .env import and promotion. */
import { deletedVariable, form, variable } from "../role-matrix-world";
import { A, ADMIN, type Case, STAGING_READERS, STAGING_WRITERS } from "./common";

export const VALUES: Record<string, Case> = {
  // Variables and values
  [`${A}variables.ts#createVariableAction`]: {
    allowed: ["admin", "developer"],
    args: async (w, c) => [
      w.org.slug,
      null,
      form({
        name: `NEW_${c.toUpperCase()}_${Date.now()}`,
        variableType: "configuration",
        securityClassification: "internal",
      }),
    ],
  },
  [`${A}variables.ts#updateVariableAction`]: {
    allowed: ["admin", "developer"],
    args: async (w) => {
      const v = await variable(w);
      const [row] = await w.superSql<
        { name: string }[]
      >`select name from environment_variables where id = ${v.id}`;
      return [
        w.org.slug,
        null,
        form({
          id: v.id,
          version: String(v.version),
          name: row.name,
          variableType: "secret",
          securityClassification: "internal",
          description: "Updated by the role matrix",
        }),
      ];
    },
  },
  [`${A}variables.ts#deleteVariableAction`]: {
    allowed: ADMIN,
    args: async (w) => {
      const v = await variable(w);
      return [w.org.slug, form({ id: v.id, version: String(v.version) })];
    },
  },
  [`${A}variables.ts#restoreVariableAction`]: {
    allowed: ADMIN,
    args: async (w) => [w.org.slug, form({ id: await deletedVariable(w) })],
  },
  [`${A}variables.ts#setValueAction`]: {
    allowed: STAGING_WRITERS,
    args: async (w) => {
      const v = await variable(w);
      return [
        w.org.slug,
        null,
        form({
          variableId: v.id,
          environmentId: w.org.env.staging,
          value: "staging-value",
          expectedVersion: "0",
          note: "Set by the role matrix",
        }),
      ];
    },
  },
  [`${A}variables.ts#deleteValueAction`]: {
    allowed: STAGING_WRITERS,
    args: async (w) => {
      const v = await variable(w, { values: { staging: "to-delete" } });
      return [
        w.org.slug,
        null,
        form({
          variableId: v.id,
          environmentId: w.org.env.staging,
          expectedVersion: "1",
          note: "Deleted by the role matrix",
        }),
      ];
    },
  },
  [`${A}variables.ts#revealValueAction`]: {
    allowed: STAGING_READERS,
    args: async (w) => {
      const v = await variable(w, { values: { staging: "to-reveal" } });
      return [w.org.slug, { variableId: v.id, environmentId: w.org.env.staging }];
    },
  },
  [`${A}variables.ts#restoreVersionAction`]: {
    allowed: STAGING_WRITERS,
    args: async (w) => {
      // Restoring the current version would change nothing (refused as conflict:no_change).
      const v = await variable(w, { values: { staging: "first" }, thenValues: { staging: "second" } });
      return [
        w.org.slug,
        {
          variableId: v.id,
          environmentId: w.org.env.staging,
          version: 1,
          expectedVersion: 2,
          reason: "Back to the first value",
        },
      ];
    },
  },
  [`${A}variables.ts#checkConnectivityAction`]: {
    allowed: STAGING_READERS,
    args: async (w) => {
      const v = await variable(w, {
        type: "database_url",
        values: { staging: "postgres://app@127.0.0.1:1/app" },
      });
      return [w.org.slug, { variableId: v.id, environmentId: w.org.env.staging }];
    },
  },

  // Environments and .env import
  [`${A}environments.ts#createEnvironmentAction`]: {
    allowed: ADMIN,
    args: async (w, c) => [
      w.org.slug,
      null,
      form({
        name: `qa-${c.replace("_", "-")}-${Date.now()}`,
        displayName: "QA",
        environmentType: "testing",
      }),
    ],
  },
  [`${A}environments.ts#updateEnvironmentAction`]: {
    allowed: ADMIN,
    args: async (w) => {
      const [env] = await w.superSql<{ version: number }[]>`
        select version from environments where id = ${w.org.env.staging}`;
      return [
        w.org.slug,
        null,
        form({
          id: w.org.env.staging,
          version: String(env.version),
          name: "staging",
          displayName: "Staging",
          environmentType: "staging",
          description: `Touched at ${Date.now()}`,
        }),
      ];
    },
  },
  [`${A}environments.ts#previewImportAction`]: {
    allowed: STAGING_WRITERS,
    args: async (w) => [w.org.slug, { environmentId: w.org.env.staging, text: "PREVIEWED_KEY=1\n" }],
  },
  [`${A}environments.ts#applyImportAction`]: {
    // A key that exists (on-call may propose values, not create variables).
    allowed: STAGING_WRITERS,
    args: async (w) => {
      const v = await variable(w);
      const [row] = await w.superSql<
        { name: string }[]
      >`select name from environment_variables where id = ${v.id}`;
      return [
        w.org.slug,
        {
          environmentId: w.org.env.staging,
          text: `${row.name}=1\n`,
          expected: { [row.name]: 0 },
          note: "Imported by the role matrix",
        },
      ];
    },
  },

  // Compare and promote
  [`${A}compare.ts#promoteAction`]: {
    allowed: STAGING_WRITERS,
    args: async (w) => {
      const v = await variable(w, { values: { development: "from-dev" } });
      return [
        w.org.slug,
        {
          fromEnvironmentId: w.org.env.development,
          toEnvironmentId: w.org.env.staging,
          items: [{ variableId: v.id, expectedVersion: 0 }],
          note: "Promoted by the role matrix",
        },
      ];
    },
  },
};
