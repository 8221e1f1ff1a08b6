import { enabledDestinations } from "@/db/repos/destinations";
import { environmentRefs, grantsFor } from "@/db/repos/grants";
import { organizationValueVersion } from "@/db/repos/value-versions";
import { environmentValueRows } from "@/db/repos/values";
import { type ConsentPurpose, consentSatisfied } from "@/lib/destinations/consent";
import type { DestinationType } from "@/lib/destinations/types";
import { AppError } from "@/lib/errors";
import { entityTag, matchesIfNoneMatch } from "@/lib/etag";
import { atLeast } from "@/lib/policy";
import { mayHoldReferences } from "@/lib/references";
import { valuePermissions } from "@/server/authz";
import { boundFields } from "@/server/destinations/destination-secrets";
import type { ServiceTokenContext } from "@/server/tokens/service-tokens";
import { decryptedEntries } from "@/server/values/export";
import { resolveEntries } from "@/server/values/references";
import { type ApiCaller, asCaller, environmentNamed, inScope } from "./caller";

/** The classifications a key may have to reach a browser (a `client` token). */
const BROWSER_CLASSES = new Set(["public", "internal"]);

export type RuntimeDestination = {
  id: string;
  type: string;
  name: string;
  testMode: boolean;
  requiredConsent: string[];
  settings: Record<string, unknown>;
  /** Each vault field with a value the token may read: client fields always, server fields for server tokens. */
  keys: Record<string, string>;
};

/**
 * The consent runtime (`GET /api/v1/destinations`): an environment's enabled destinations whose required consent
 * is all granted, with their plain settings and keys. A `client` token (what a browser's snippet holds) gets the
 * keys meant for browsers only; a `read` or `read-write` token (a server) gets the server-side secrets too. Keys
 * are values of the environment read within the token's scope and its creator's access (the same checks as a
 * values read; references resolved); one audit row names the token, the environment and how many destinations
 * it returned (never a key). Tagged by which destinations at which versions and which values at which versions:
 * `If-None-Match` with the tag is 304 while none of that changed.
 */
export async function consentedDestinations(
  token: ServiceTokenContext,
  query: { environment: string; consent: ConsentPurpose[] },
  options: { ip?: string; ifNoneMatch?: string | null } = {},
) {
  const caller: ApiCaller = { kind: "token", token };
  return asCaller(caller, options.ip, async (tx, ctx) => {
    const [envs, grants] = await Promise.all([environmentRefs(tx, ctx), grantsFor(tx, ctx)]);
    const env = environmentNamed(envs, caller, query.environment);
    const [{ permission }] = await valuePermissions(tx, ctx, null, [env], grants);
    if (!atLeast(permission, "read")) throw new AppError("forbidden");
    const server = token.access !== "client";
    const matched = (await enabledDestinations(tx, env.id)).filter((d) =>
      consentSatisfied(d.requiredConsent as ConsentPurpose[], query.consent),
    );
    const fieldsOf = matched.map((d) =>
      boundFields(d.type as DestinationType, d.secretVariables).filter(
        (f) => server || f.exposure === "client",
      ),
    );
    const names = [...new Set(fieldsOf.flat().map((f) => f.variable))];
    // A browser's token gets keys kept as public or internal values only, unresolved: a browser field bound to a
    // confidential variable, or a value referring to one, never reaches it.
    const rows =
      names.length === 0
        ? []
        : (await environmentValueRows(tx, env.id, names)).filter(
            (r) => inScope(caller, r) && (server || BROWSER_CLASSES.has(r.securityClassification)),
          );
    const decrypted = await decryptedEntries(tx, ctx.organizationId, env.id, rows);
    const refers = decrypted.some((e) => mayHoldReferences(e.value));
    const { entries } = server
      ? await resolveEntries(tx, ctx, env, decrypted, (v) => inScope(caller, v))
      : { entries: decrypted.filter((e) => !mayHoldReferences(e.value)) };
    const etag = entityTag([
      env.id,
      server ? "server" : "client",
      query.consent.join(","),
      ...matched.flatMap((d) => [d.id, d.version]),
      ...rows.flatMap((r) => [r.variableId, r.name, r.version]),
      ...(refers ? ["references", await organizationValueVersion(tx, ctx.organizationId)] : []),
    ]);
    const unchanged = matchesIfNoneMatch(options.ifNoneMatch ?? null, etag);
    const value = new Map(entries.map((e) => [e.key, e.value]));
    const body = unchanged
      ? null
      : {
          environment: env.name,
          consent: query.consent,
          destinations: matched.map(
            (d, i): RuntimeDestination => ({
              id: d.id,
              type: d.type,
              name: d.name,
              testMode: d.testMode,
              requiredConsent: d.requiredConsent,
              settings: d.settings,
              keys: Object.fromEntries(
                fieldsOf[i].flatMap((f) => {
                  const v = value.get(f.variable);
                  return v === undefined ? [] : [[f.field, v]];
                }),
              ),
            }),
          ),
        };
    return {
      result: { etag, body },
      use: {
        action: "read",
        environmentId: env.id,
        details: {
          environment: env.name,
          destinations: unchanged ? 0 : matched.length,
          consent: query.consent,
          keys: server ? "server" : "client",
          ...(unchanged ? { notModified: true } : {}),
        },
      },
    };
  });
}
