/** The role matrix's expectations: integration configs (owners and admins manage them: integrations:manage). */
import { randomBytes } from "node:crypto";
import { withContext } from "@/db/context";
import { integrationCreation } from "@/lib/validation/integrations";
import { deleteIntegration } from "@/server/integrations/integration-removal";
import { createIntegration } from "@/server/integrations/integrations";
import { unique } from "../../db/support";
import { form, type World } from "../role-matrix-world";
import { A, ADMIN, type Case } from "./common";

/** Retires (soft deletes, as the owner's SQL) the live config of this platform and kind in staging, if any. */
async function retireLive(world: World, platform: string, configType: string) {
  await world.superSql`
    update integration_configs set deleted_at = now(), is_primary = false
    where organization_id = ${world.org.id} and environment_id = ${world.org.env.staging}
      and platform = ${platform} and config_type = ${configType} and deleted_at is null`;
}

/**
 * A live Stripe API-key config of staging, made by the owner (one live per kind and environment: the last one
 * is retired first). Inactive, so the scheduled checks leave it alone; its secret key is kept in a variable of
 * its own that has no value, so "Check now" finds no credential and asks no provider (no network).
 */
async function integration(world: World) {
  await retireLive(world, "stripe", "api_key");
  const input = await integrationCreation.parseAsync({
    platform: "stripe",
    configType: "api_key",
    environment: "staging",
    name: unique("stripe"),
    "settings.syncIntervalMinutes": "60",
    "variables.secretKey": `RM_STRIPE_${randomBytes(4).toString("hex").toUpperCase()}`,
  });
  return withContext(world.org.owner, (tx) => createIntegration(tx, world.org.owner, input));
}

async function deletedIntegration(world: World) {
  const made = await integration(world);
  await withContext(world.org.owner, (tx) =>
    deleteIntegration(tx, world.org.owner, { id: made.id, version: made.version }),
  );
  return made.id;
}

/**
 * A live HubSpot OAuth config of staging with its client id and secret (connecting only builds the provider's
 * address: no network), and, when `granted`, an active grant with no token values (disconnecting then asks no
 * provider: HubSpot's withdrawal needs the refresh token).
 */
async function oauthIntegration(world: World, granted: boolean) {
  await retireLive(world, "hubspot", "oauth");
  const input = await integrationCreation.parseAsync({
    platform: "hubspot",
    configType: "oauth",
    environment: "staging",
    name: unique("hubspot-oauth"),
    "settings.clientId": "rm-client-id",
    "secrets.clientSecret": "rm-client-secret",
    "variables.accessToken": `RM_HUBSPOT_AT_${randomBytes(4).toString("hex").toUpperCase()}`,
    "variables.refreshToken": `RM_HUBSPOT_RT_${randomBytes(4).toString("hex").toUpperCase()}`,
  });
  const made = await withContext(world.org.owner, (tx) => createIntegration(tx, world.org.owner, input));
  if (granted)
    await world.superSql`
      insert into integration_oauth_connections (organization_id, config_id, hubspot_portal_id, created_by)
      values (${world.org.id}, ${made.id}, '1234', ${world.org.owner.userId})`;
  return made.id;
}

export const INTEGRATIONS: Record<string, Case> = {
  [`${A}integrations.ts#createIntegrationAction`]: {
    allowed: ADMIN,
    args: async (w) => {
      await retireLive(w, "stripe", "webhook");
      return [
        w.org.slug,
        null,
        form({
          platform: "stripe",
          configType: "webhook",
          environment: "staging",
          name: unique("stripe-webhook"),
          "settings.syncIntervalMinutes": "30",
          "settings.syncDirection": "inbound",
          features: "syncInvoices",
          mappingRules: '[{"from": "customer.email", "to": "contact.email"}]',
          "secrets.signingSecret": "whsec_roleMatrixSigningSecret0123456789",
        }),
      ];
    },
  },
  [`${A}integrations.ts#updateIntegrationAction`]: {
    allowed: ADMIN,
    args: async (w) => {
      const i = await integration(w);
      return [
        w.org.slug,
        null,
        form({
          id: i.id,
          version: String(i.version),
          name: unique("edited"),
          "settings.syncIntervalMinutes": "120",
          "settings.syncDirection": "bidirectional",
        }),
      ];
    },
  },
  [`${A}integrations.ts#deleteIntegrationAction`]: {
    allowed: ADMIN,
    args: async (w) => {
      const i = await integration(w);
      return [w.org.slug, null, form({ id: i.id, version: String(i.version), reason: "No longer used" })];
    },
  },
  [`${A}integrations.ts#restoreIntegrationAction`]: {
    allowed: ADMIN,
    args: async (w) => [w.org.slug, null, form({ id: await deletedIntegration(w) })],
  },
  [`${A}integrations.ts#checkIntegrationAction`]: {
    allowed: ADMIN,
    args: async (w) => [w.org.slug, null, form({ id: (await integration(w)).id })],
  },
  [`${A}integrations.ts#connectOauthAction`]: {
    allowed: ADMIN,
    args: async (w) => [w.org.slug, null, form({ id: await oauthIntegration(w, false) })],
  },
  [`${A}integrations.ts#disconnectOauthAction`]: {
    allowed: ADMIN,
    args: async (w) => [w.org.slug, null, form({ id: await oauthIntegration(w, true) })],
  },
};
