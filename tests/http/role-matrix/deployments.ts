/** The role matrix's expectations: Drift and deployment targets. */
import { completedSync, form, openDriftRow, target } from "../role-matrix-world";
import { A, ADMIN, type Case, STAGING_READERS } from "./common";

export const DEPLOYMENTS: Record<string, Case> = {
  // Drift and deployment targets
  [`${A}drift.ts#createTargetAction`]: {
    allowed: ADMIN,
    args: async (w, c) => [
      w.org.slug,
      null,
      form({
        environmentId: w.org.env.staging,
        name: `t-${c.replace("_", "-")}-${Date.now()}`,
        kind: "http",
        location: "http://127.0.0.1:1",
        secret: "a-shared-secret-for-the-role-matrix-0123",
        scanIntervalMinutes: "1440",
      }),
    ],
  },
  [`${A}drift.ts#updateTargetAction`]: {
    allowed: ADMIN,
    args: async (w) => {
      const t = await target(w);
      return [
        w.org.slug,
        null,
        form({
          id: t.id,
          version: String(t.version),
          kind: "http",
          name: t.name,
          location: "http://127.0.0.1:1",
          scanIntervalMinutes: "720",
        }),
      ];
    },
  },
  [`${A}drift.ts#rotateSecretAction`]: {
    allowed: ADMIN,
    args: async (w) => [w.org.slug, null, form({ id: (await target(w)).id })],
  },
  [`${A}drift.ts#setTargetActiveAction`]: {
    allowed: ADMIN,
    args: async (w) => [w.org.slug, { id: (await target(w)).id, active: false }],
  },
  [`${A}drift.ts#testTargetAction`]: {
    allowed: ADMIN,
    args: async (w) => [w.org.slug, { id: (await target(w)).id }],
  },
  [`${A}drift.ts#scanTargetAction`]: {
    // Reads every staging value to compare: those who may read them all.
    allowed: STAGING_READERS,
    args: async (w) => [w.org.slug, { id: (await target(w)).id }],
  },
  [`${A}drift.ts#pushTargetAction`]: {
    // Writes staging's values out: those who may write there (on-call may only propose).
    allowed: ["admin", "developer"],
    args: async (w) => [w.org.slug, { id: (await target(w)).id }],
  },
  [`${A}drift.ts#rollbackAction`]: {
    allowed: ["admin", "developer"],
    args: async (w) => {
      const t = await target(w);
      return [w.org.slug, { id: t.id, syncId: await completedSync(w, t.id) }];
    },
  },
  [`${A}drift.ts#resolveDriftAction`]: {
    // Dismiss: on-call and admins anywhere, others where they may write (developers in staging).
    allowed: ["admin", "on_call", "developer"],
    args: async (w) => [
      w.org.slug,
      null,
      form({ id: await openDriftRow(w, (await target(w)).id), action: "dismiss", note: "Known, ticket 42" }),
    ],
  },
};
