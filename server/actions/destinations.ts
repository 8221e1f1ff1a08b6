"use server";

import { z } from "zod";
import { destinationCreation, destinationRef, destinationUpdate } from "@/lib/validation/destinations";
import { versionNumber } from "@/lib/validation/fields";
import { testDestinationConnection } from "@/server/destinations/connection-test";
import { deleteDestination, restoreDestination } from "@/server/destinations/destination-removal";
import type { SecretOutcome } from "@/server/destinations/destination-secrets";
import {
  createDestination,
  type DestinationSaved,
  updateDestination,
} from "@/server/destinations/destinations";
import { orgAction, orgSteps } from "@/server/entry/action";

const manage = { call: "form", capability: "integrations:manage", revalidate: "/destinations" } as const;

/** What the form needs of each vault field's write: applied at a version, or waiting in a change request. */
export type SecretNote =
  | { field: string; variable: string; status: "applied"; version: number }
  | { field: string; variable: string; status: "requested"; requestId: string; riskLevel: string };

/** Only what the form shows: never a value, nor its hash. */
function saved(result: DestinationSaved) {
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

/** Adds a destination; the vault fields given a value are written as values of their variables. */
export const createDestinationAction = orgAction({
  ...manage,
  input: destinationCreation,
  run: async (tx, ctx, input) => saved(await createDestination(tx, ctx, input)),
});

/** Edits a destination at the version the form showed (a new key in production may wait for a reviewer). */
export const updateDestinationAction = orgAction({
  ...manage,
  input: destinationUpdate,
  run: async (tx, ctx, input) => saved(await updateDestination(tx, ctx, input)),
});

/** Deletes a destination (restorable); in production it waits for a reviewer, with the reason. */
export const deleteDestinationAction = orgAction({
  ...manage,
  input: destinationRef.extend({ version: versionNumber(1) }),
  run: (tx, ctx, input) => deleteDestination(tx, ctx, input),
});

/** Restores a deleted destination, disabled, while no live one of its type is in its environment. */
export const restoreDestinationAction = orgAction({
  ...manage,
  input: destinationRef,
  run: (tx, ctx, { id }) => restoreDestination(tx, ctx, { id }),
});

/** Tests the connection with the keys in the vault; the list shows the outcome and when. */
export const testDestinationConnectionAction = orgSteps({
  ...manage,
  input: z.object({ id: z.uuid() }),
  run: (ctx, { id }) => testDestinationConnection(ctx, id),
});
