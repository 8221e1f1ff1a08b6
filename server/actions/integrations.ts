"use server";

import { z } from "zod";
import { versionNumber } from "@/lib/validation/fields";
import { integrationCreation, integrationRef, integrationUpdate } from "@/lib/validation/integrations";
import { publicOrigin } from "@/server/access/invitation-requests";
import type { SecretOutcome } from "@/server/connectors/vault-fields";
import { orgAction, orgSteps } from "@/server/entry/action";
import { checkIntegration } from "@/server/integrations/health";
import { deleteIntegration, restoreIntegration } from "@/server/integrations/integration-removal";
import {
  createIntegration,
  type IntegrationSaved,
  updateIntegration,
} from "@/server/integrations/integrations";
import { disconnectOauth, startOauth } from "@/server/integrations/oauth";

const manage = { call: "form", capability: "integrations:manage", revalidate: "/integrations" } as const;

/** What the form needs of each vault field's write: applied at a version, or waiting in a change request. */
export type SecretNote =
  | { field: string; variable: string; status: "applied"; version: number }
  | { field: string; variable: string; status: "requested"; requestId: string; riskLevel: string };

/** Only what the form shows: never a value, nor its hash. */
function saved(result: IntegrationSaved) {
  const note = (s: SecretOutcome): SecretNote =>
    s.status === "applied"
      ? { field: s.field, variable: s.variable, status: "applied", version: s.version }
      : {
          field: s.field,
          variable: s.variable,
          status: "requested",
          requestId: s.requestId,
          riskLevel: s.riskLevel,
        };
  return { status: result.status, id: result.id, version: result.version, secrets: result.secrets.map(note) };
}

/** Adds an integration config; the vault fields given a value are written as values of their variables. */
export const createIntegrationAction = orgAction({
  ...manage,
  input: integrationCreation,
  run: async (tx, ctx, input) => saved(await createIntegration(tx, ctx, input)),
});

/** Edits a config at the version the form showed (a new secret in production may wait for a reviewer). */
export const updateIntegrationAction = orgAction({
  ...manage,
  input: integrationUpdate,
  run: async (tx, ctx, input) => saved(await updateIntegration(tx, ctx, input)),
});

/** Deletes a config (restorable); in production it waits for a reviewer, with the reason. */
export const deleteIntegrationAction = orgAction({
  ...manage,
  input: integrationRef.extend({ version: versionNumber(1) }),
  run: (tx, ctx, input) => deleteIntegration(tx, ctx, input),
});

/** Restores a deleted config, inactive, while no live one of its platform and kind is in its environment. */
export const restoreIntegrationAction = orgAction({
  ...manage,
  input: integrationRef,
  run: (tx, ctx, { id }) => restoreIntegration(tx, ctx, { id }),
});

/**
 * Checks a config's health now with the credential in the vault (its own short transactions: none is held
 * while the provider answers); the list and the history show the outcome. Held back while the circuit is open.
 */
export const checkIntegrationAction = orgSteps({
  ...manage,
  input: z.object({ id: z.uuid() }),
  run: (ctx, { id }) => checkIntegration(ctx, id),
});

/** Starts connecting an OAuth config: the provider's authorization page, where the browser goes next. */
export const connectOauthAction = orgAction({
  ...manage,
  input: z.object({ id: z.uuid() }),
  run: async (tx, ctx, { id }) => startOauth(tx, ctx, { id, origin: await publicOrigin() }),
});

/** Withdraws a config's OAuth grant at the provider and ends it here (its own transactions around the call). */
export const disconnectOauthAction = orgSteps({
  ...manage,
  input: z.object({ id: z.uuid() }),
  run: (ctx, { id }) => disconnectOauth(ctx, id),
});
