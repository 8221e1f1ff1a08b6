import * as oauth from "oauth4webapi";
import type { Tx } from "@/db/client";
import { type TenantContext, withContext } from "@/db/context";
import { environmentRefs } from "@/db/repos/grants";
import { revokeConnection } from "@/db/repos/integration-events";
import { integrationById } from "@/db/repos/integrations";
import { activeGrant, insertGrant, insertOauthState, markRefreshed, takeOauthState } from "@/db/repos/oauth";
import { organizationSlug } from "@/db/repos/organizations";
import { environmentValueRows } from "@/db/repos/values";
import { orgVault, tokenHash } from "@/db/vault";
import { AppError } from "@/lib/errors";
import { accountOf, authorizationUrl, REFRESH_AHEAD_MS, stateFor } from "@/lib/integrations/oauth";
import type { Platform } from "@/lib/integrations/platforms";
import type { Transport } from "@/lib/net/guarded-fetch";
import { type EnvironmentType, environmentTier } from "@/lib/roles";
import { oauthVerifierAad } from "@/lib/sealed-aad";
import { vaultFieldsOf } from "@/lib/validation/integrations";
import { writeAudit } from "@/server/audit/audit";
import { requireCapability } from "@/server/authz";
import { refuseLocked } from "@/server/connectors/config-changes";
import { bindFields, writeVaultFields } from "@/server/connectors/vault-fields";
import { decryptedEntries } from "@/server/values/export";
import { endpointsOf, exchangeCode, type OauthApp, refreshGrant, revokeAtProvider } from "./oauth-client";

/** Where providers send the person back: one address for the whole console (register it with the OAuth app). */
export const callbackUrl = (origin: string) => `${origin}/api/v1/integrations/oauth/callback`;

const stateHashOf = (state: string) => tokenHash(`oauth-state:${state}`);
const verifierAad = oauthVerifierAad;

/** An OAuth config of the organization, its environment, its vault fields and their current values. */
async function oauthConfig(tx: Tx, ctx: TenantContext, id: string) {
  const row = await integrationById(tx, ctx.organizationId, id);
  if (!row || row.deletedAt) throw new AppError("not_found");
  if (row.configType !== "oauth")
    throw new AppError("validation", { form: ["Only an OAuth config connects to the provider"] });
  const env = (await environmentRefs(tx, ctx)).find((e) => e.id === row.environmentId);
  if (!env) throw new AppError("not_found");
  const platform = row.platform as Platform;
  const fields = bindFields(vaultFieldsOf(platform, "oauth"), row.secretVariables);
  const rows = await environmentValueRows(
    tx,
    row.environmentId,
    fields.map((f) => f.variable),
  );
  const entries = await decryptedEntries(tx, ctx.organizationId, row.environmentId, rows);
  const value = (field: string) =>
    entries.find((e) => e.key === fields.find((f) => f.field === field)?.variable)?.value;
  return { row, env, platform, fields, value };
}

function appOf(config: Awaited<ReturnType<typeof oauthConfig>>, transport?: Transport): OauthApp {
  const clientId = config.row.settings.clientId;
  if (typeof clientId !== "string" || !clientId)
    throw new AppError("validation", { "settings.clientId": ["Enter the OAuth app's client id first"] });
  const clientSecret = config.value("clientSecret");
  if (!clientSecret)
    throw new AppError("validation", {
      "secrets.clientSecret": [
        `${config.fields.find((f) => f.field === "clientSecret")?.variable} has no value in this environment`,
      ],
    });
  return { platform: config.platform, clientId, clientSecret, transport };
}

/**
 * Starts connecting an OAuth config (integrations:manage): a state (kept as a keyed hash, naming the organization
 * first) and a PKCE verifier (sealed) for this person, for 10 minutes; the provider's authorization page to send
 * them to. Refused during wedding hours in a locked environment (its tokens could not be written).
 */
export async function startOauth(tx: Tx, ctx: TenantContext, input: { id: string; origin: string }) {
  requireCapability(ctx, "integrations:manage");
  const config = await oauthConfig(tx, ctx, input.id);
  const app = appOf(config);
  await refuseLocked(tx, ctx, config.env, "Integrations");
  const slug = await organizationSlug(tx, ctx.organizationId);
  if (!slug) throw new AppError("not_found");
  const state = stateFor(slug, oauth.generateRandomState());
  const verifier = oauth.generateRandomCodeVerifier();
  const hash = await stateHashOf(state);
  const vault = await orgVault(tx, ctx.organizationId);
  const sealed = vault.sealSecret(verifier, verifierAad(ctx.organizationId, hash));
  const redirectUri = callbackUrl(input.origin);
  await insertOauthState(tx, {
    organizationId: ctx.organizationId,
    configId: config.row.id,
    stateHash: hash,
    verifierSealed: sealed.ciphertext,
    encryptionKeyId: sealed.keyId,
    redirectUri,
    createdBy: ctx.userId,
  });
  const url = authorizationUrl(config.platform, endpointsOf(config.platform), {
    clientId: app.clientId,
    redirectUri,
    state,
    codeChallenge: await oauth.calculatePKCECodeChallenge(verifier),
    scopes: typeof config.row.settings.scopes === "string" ? config.row.settings.scopes : undefined,
  });
  return { url: url.toString() };
}

/**
 * Finishes a connection when the provider sends the person back: the state must be theirs, unused and recent;
 * the code is exchanged (with the verifier) for tokens, which are written as values of the config's environment
 * (managed fields: internal, so their renewal needs no reviewer); the grant (which account, scopes, expiry, never
 * a token) replaces any earlier one; audited, HIGH in production. Three short transactions around the exchange.
 */
export async function completeOauth(
  ctx: TenantContext,
  callback: URLSearchParams,
  options: { transport?: Transport } = {},
) {
  const state = callback.get("state") ?? "";
  const taken = await withContext(ctx, async (tx) => {
    requireCapability(ctx, "integrations:manage");
    const hash = await stateHashOf(state);
    const attempt = await takeOauthState(tx, ctx.organizationId, ctx.userId, hash);
    if (!attempt)
      throw new AppError("validation", {
        form: ["This authorization is not yours, was used, or expired: connect again"],
      });
    const vault = await orgVault(tx, ctx.organizationId);
    const verifier = vault.openSecret(
      { ciphertext: attempt.verifierSealed, keyId: attempt.encryptionKeyId },
      verifierAad(ctx.organizationId, hash),
    );
    const config = await oauthConfig(tx, ctx, attempt.configId);
    return { attempt, verifier, config, app: appOf(config, options.transport) };
  });
  const { attempt, verifier, config, app } = taken;
  const tokens = await exchangeCode(app, callback, { state, redirectUri: attempt.redirectUri, verifier });
  await withContext(ctx, async (tx) => {
    const managed = config.fields.filter((f) => f.managed);
    const written = await writeVaultFields(
      tx,
      ctx,
      config.env,
      { label: config.platform, kind: "integration", tag: "integration" },
      managed,
      {
        accessToken: tokens.access_token,
        ...(tokens.refresh_token ? { refreshToken: tokens.refresh_token } : {}),
      },
      "OAuth grant connected",
    );
    const previous = await activeGrant(tx, config.row.id);
    if (previous) await revokeConnection(tx, previous.id, ctx.userId, "Replaced by a new grant");
    const account = accountOf(config.platform, tokens as Record<string, unknown>, callback);
    await insertGrant(tx, {
      organizationId: ctx.organizationId,
      configId: config.row.id,
      ...account,
      scopes: (typeof tokens.scope === "string" ? tokens.scope : "").slice(0, 1000),
      accessExpiresAt: tokens.expires_in ? new Date(Date.now() + tokens.expires_in * 1000) : null,
      metadata: { refreshable: Boolean(tokens.refresh_token) },
      createdBy: ctx.userId,
    });
    const production = environmentTier(config.env.environmentType as EnvironmentType) === "production";
    await writeAudit(tx, ctx, {
      action: "update",
      resourceType: "integration",
      resourceId: config.row.id,
      environmentId: config.env.id,
      riskLevel: production ? "HIGH" : "MEDIUM",
      details: {
        integration: config.row.name,
        platform: config.platform,
        environment: config.env.name,
        oauth: "connected",
        account,
        tokens: written.map(
          (w) => `${w.field} (${w.variable}): ${w.status === "applied" ? `v${w.version}` : "waits"}`,
        ),
      },
    });
  });
  return { configId: config.row.id };
}

/**
 * Renews a grant whose access token runs out within REFRESH_AHEAD_MS (the health check calls it first). A refused
 * refresh token ends the grant (inactive, with the provider's reason): the health check then reports it.
 */
export async function refreshIfDue(
  ctx: TenantContext,
  configId: string,
  options: { transport?: Transport; now?: Date } = {},
) {
  const now = options.now ?? new Date();
  const due = await withContext(ctx, async (tx) => {
    const grant = await activeGrant(tx, configId);
    if (!grant?.accessExpiresAt || grant.accessExpiresAt.getTime() - now.getTime() > REFRESH_AHEAD_MS)
      return null;
    const config = await oauthConfig(tx, ctx, configId);
    const refreshToken = config.value("refreshToken");
    return refreshToken ? { grant, config, refreshToken, app: appOf(config, options.transport) } : null;
  });
  if (!due) return { refreshed: false as const };
  try {
    const tokens = await refreshGrant(due.app, due.refreshToken);
    await withContext(ctx, async (tx) => {
      await writeVaultFields(
        tx,
        ctx,
        due.config.env,
        { label: due.config.platform, kind: "integration", tag: "integration" },
        due.config.fields.filter((f) => f.managed),
        {
          accessToken: tokens.access_token,
          ...(tokens.refresh_token ? { refreshToken: tokens.refresh_token } : {}),
        },
        "OAuth grant renewed",
      );
      await markRefreshed(
        tx,
        due.grant.id,
        tokens.expires_in ? new Date(now.getTime() + tokens.expires_in * 1000) : null,
      );
    });
    return { refreshed: true as const };
  } catch (error) {
    const reason =
      error instanceof AppError ? (error.fieldErrors?.form?.[0] ?? error.message) : "The refresh failed";
    if (error instanceof AppError && /refused/.test(reason))
      await withContext(ctx, (tx) => revokeConnection(tx, due.grant.id, null, reason));
    return { refreshed: false as const, error: reason };
  }
}

/** Disconnects a config's grant (integrations:manage): withdrawn at the provider where it can be, then ended here. */
export async function disconnectOauth(
  ctx: TenantContext,
  configId: string,
  options: { transport?: Transport } = {},
) {
  const found = await withContext(ctx, async (tx) => {
    requireCapability(ctx, "integrations:manage");
    const config = await oauthConfig(tx, ctx, configId);
    const grant = await activeGrant(tx, configId);
    if (!grant) throw new AppError("not_found");
    return { config, grant, app: appOf(config, options.transport) };
  });
  const { config, grant } = found;
  const atProvider = await revokeAtProvider(found.app, {
    refreshToken: config.value("refreshToken"),
    accessToken: config.value("accessToken"),
    stripeAccountId: grant.stripeAccountId,
  });
  await withContext(ctx, async (tx) => {
    await revokeConnection(tx, grant.id, ctx.userId, "Disconnected in the console");
    await writeAudit(tx, ctx, {
      action: "update",
      resourceType: "integration",
      resourceId: configId,
      environmentId: config.env.id,
      riskLevel: "MEDIUM",
      details: {
        integration: config.row.name,
        platform: config.platform,
        oauth: "disconnected",
        at_provider: atProvider.ok,
      },
    });
  });
  return { revokedAtProvider: atProvider.ok };
}
