/** The role matrix's expectations: analytics destinations (owners and admins manage them: integrations:manage). */
import { withContext } from "@/db/context";
import type { DestinationType } from "@/lib/destinations/types";
import { destinationCreation } from "@/lib/validation/destinations";
import { deleteDestination } from "@/server/destinations/destination-removal";
import { createDestination } from "@/server/destinations/destinations";
import { unique } from "../../db/support";
import { form, type World } from "../role-matrix-world";
import { A, ADMIN, type Case } from "./common";

/** Retires (soft deletes, as the owner's SQL) the live destination of this type in staging, if there is one. */
async function retireLive(world: World, type: DestinationType) {
  await world.superSql`
    update destinations set deleted_at = now()
    where organization_id = ${world.org.id} and environment_id = ${world.org.env.staging}
      and type = ${type} and deleted_at is null`;
}

/**
 * A live console destination of staging, made by the owner (one live per type and environment: the last one is
 * retired first). The console type has no keys and tests its connection without the network.
 */
async function destination(world: World) {
  await retireLive(world, "console");
  const input = await destinationCreation.parseAsync({
    type: "console",
    environment: "staging",
    name: unique("console"),
    "settings.level": "info",
  });
  return withContext(world.org.owner, (tx) => createDestination(tx, world.org.owner, input));
}

async function deletedDestination(world: World) {
  const made = await destination(world);
  await withContext(world.org.owner, (tx) =>
    deleteDestination(tx, world.org.owner, { id: made.id, version: made.version }),
  );
  return made.id;
}

export const DESTINATIONS: Record<string, Case> = {
  [`${A}destinations.ts#createDestinationAction`]: {
    allowed: ADMIN,
    args: async (w) => {
      await retireLive(w, "posthog");
      return [
        w.org.slug,
        null,
        form({
          type: "posthog",
          environment: "staging",
          name: unique("posthog"),
          requiredConsent: "measurement",
          enabled: "on",
          "secrets.apiKey": "phc_roleMatrixProjectKey0123456789",
        }),
      ];
    },
  },
  [`${A}destinations.ts#updateDestinationAction`]: {
    allowed: ADMIN,
    args: async (w) => {
      const d = await destination(w);
      return [
        w.org.slug,
        null,
        form({ id: d.id, version: String(d.version), name: unique("edited"), "settings.level": "debug" }),
      ];
    },
  },
  [`${A}destinations.ts#deleteDestinationAction`]: {
    allowed: ADMIN,
    args: async (w) => {
      const d = await destination(w);
      return [w.org.slug, null, form({ id: d.id, version: String(d.version), reason: "No longer used" })];
    },
  },
  [`${A}destinations.ts#restoreDestinationAction`]: {
    allowed: ADMIN,
    args: async (w) => [w.org.slug, null, form({ id: await deletedDestination(w) })],
  },
  [`${A}destinations.ts#testDestinationConnectionAction`]: {
    allowed: ADMIN,
    args: async (w) => [w.org.slug, null, form({ id: (await destination(w)).id })],
  },
};
