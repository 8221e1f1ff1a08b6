"use server";

import { z } from "zod";
import { cliLoginDecision, serviceTokenInput, tokenLifetimeInput } from "@/lib/validation/tokens";
import { orgAction } from "@/server/entry/action";
import { decideLogin } from "@/server/tokens/cli-login";
import { createServiceToken, revokeServiceToken, setTokenLifetime } from "@/server/tokens/service-tokens";

const manage = { call: "form", capability: "tokens:manage", revalidate: "/tokens" } as const;

/** Creates a service token and returns it: the only time it leaves the server. */
export const createTokenAction = orgAction({
  ...manage,
  input: serviceTokenInput,
  run: async (tx, ctx, input) => {
    const created = await createServiceToken(tx, ctx, input);
    return {
      name: input.name,
      token: created.token,
      environments: created.environments,
      access: input.access,
      expiresAt: created.expiresAt.toISOString(),
    };
  },
});

/** Owners and admins revoke any token; everyone their own personal (CLI) tokens (the service decides). */
export const revokeTokenAction = orgAction({
  call: "form",
  capability: "tokens:personal",
  revalidate: "/tokens",
  input: z.object({ id: z.uuid() }),
  run: (tx, ctx, { id }) => revokeServiceToken(tx, ctx, id),
});

/** The longest a new token of the organization may live: an organization setting. */
export const setTokenLifetimeAction = orgAction({
  call: "form",
  capability: "settings:manage",
  revalidate: "/tokens",
  input: tokenLifetimeInput,
  run: (tx, ctx, input) => setTokenLifetime(tx, ctx, input),
});

/**
 * Approves (for environments and an access within the caller's own) or denies a `ringbearer login`. Nothing to
 * revalidate: the token is minted when the CLI next polls, and the page keeps showing the outcome.
 */
export const decideCliLoginAction = orgAction({
  call: "form",
  capability: "tokens:personal",
  input: cliLoginDecision,
  run: (tx, ctx, input) =>
    decideLogin(tx, ctx, {
      code: input.code,
      approve: input.decision === "approve",
      environments: input.environments,
      access: input.access,
    }),
});
