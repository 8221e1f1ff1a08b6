import { environmentRefs } from "@/db/repos/grants";
import { organizationSlug } from "@/db/repos/organizations";
import { environmentValueRows } from "@/db/repos/values";
import { AppError } from "@/lib/errors";
import { atLeast } from "@/lib/policy";
import { revealNeedsStepUp } from "@/lib/step-up";
import { requireRecentAuth } from "@/server/auth/step-up";
import { valuePermissions } from "@/server/authz";
import type { ServiceTokenContext } from "@/server/tokens/service-tokens";
import { decryptedEntries } from "@/server/values/export";
import { referredAudits, resolveEntries } from "@/server/values/references";
import { type ApiCaller, asCaller, environmentNamed, inScope, MACHINE_READ, reachable } from "./caller";

/** The environments the caller may read, in the console's order: their names and types. Audited for a token. */
export async function readableEnvironments(caller: ApiCaller, ip?: string) {
  return asCaller(
    caller,
    ip,
    async (tx, ctx) => {
      const envs = reachable(await environmentRefs(tx, ctx), caller);
      const permissions = await valuePermissions(tx, ctx, null, envs);
      const readable = envs.filter((_, i) => atLeast(permissions[i].permission, "read"));
      return {
        result: readable.map((e) => ({ name: e.name, type: e.environmentType })),
        use: { action: "read", details: { listed: "environments", count: readable.length } },
      };
    },
    MACHINE_READ,
  );
}

/**
 * One value: as written, resolved, and its version (the ETag a write sends back as If-Match). A token's read is
 * one audited use; a person's is the console's reveal (its step-up, a reveal row for it and what it refers to).
 * `not_found` when the variable has no value there or is outside the caller's scope.
 */
export async function oneValue(caller: ApiCaller, environmentName: string, key: string, ip?: string) {
  return asCaller(
    caller,
    ip,
    async (tx, ctx) => {
      const env = environmentNamed(await environmentRefs(tx, ctx), caller, environmentName);
      const [{ permission }] = await valuePermissions(tx, ctx, null, [env]);
      if (!atLeast(permission, "read")) throw new AppError("forbidden");
      const [row] = (await environmentValueRows(tx, env.id, [key])).filter((r) => inScope(caller, r));
      if (!row) throw new AppError("not_found");
      const [written] = await decryptedEntries(tx, ctx.organizationId, env.id, [row]);
      const { entries, revealed } = await resolveEntries(tx, ctx, env, [written], (v) => inScope(caller, v));
      if (
        caller.kind === "person" &&
        [{ ...row, environment: env }, ...revealed].some((r) =>
          revealNeedsStepUp(r, r.environment.environmentType),
        )
      )
        await requireRecentAuth(tx, ctx);
      const result = {
        key: row.name,
        environment: env.name,
        value: entries[0].value,
        ...(entries[0].value !== written.value ? { written: written.value } : {}),
        version: row.version,
      };
      const where = { environment: env.name, version: row.version };
      return {
        result,
        use: {
          action: "read",
          environmentId: env.id,
          variableId: row.variableId,
          details: { ...where, key: row.name, count: 1 },
        },
        audits: [
          {
            action: "decrypt",
            resourceType: "value",
            variableId: row.variableId,
            environmentId: env.id,
            newValueHash: row.valueHash,
            details: { name: row.name, ...where, via: "api" },
          },
          ...referredAudits(revealed, { referredFrom: `${env.name}.${row.name}` }),
        ],
      };
    },
    MACHINE_READ,
  );
}

/** What a token is, for `ringbearer whoami`: its organization, scope and expiry (never the token). Audited. */
export async function tokenIdentity(token: ServiceTokenContext, ip?: string) {
  return asCaller({ kind: "token", token }, ip, async (tx, ctx) => {
    const envs = (await environmentRefs(tx, ctx)).filter((e) => token.environmentIds.includes(e.id));
    const identity = {
      tokenId: token.tokenId,
      organization: await organizationSlug(tx, ctx.organizationId),
      environments: envs.map((e) => e.name),
      access: token.access,
      namePrefix: token.namePrefix,
      tag: token.tag,
      expiresAt: token.expiresAt.toISOString(),
    };
    return { result: identity, use: { action: "read", details: { listed: "whoami" } } };
  });
}
