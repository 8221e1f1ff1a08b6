import type { Tx } from "@/db/client";
import type { TenantContext } from "@/db/context";
import { environmentInOrg, environmentRefs } from "@/db/repos/grants";
import { organizationSlug } from "@/db/repos/organizations";
import { revokeServiceTokenRow } from "@/db/repos/service-tokens";
import { liveVariableNamed } from "@/db/repos/variable-rows";
import { AppError } from "@/lib/errors";
import type { RiskLevel } from "@/lib/risk";
import type { ServiceTokenContext } from "@/server/tokens/service-tokens";
import { writeValues } from "@/server/values/value-writes";
import { type ApiCaller, asCaller, environmentNamed, inScope } from "./caller";

export type ApiWrite =
  | { status: "applied"; version: number }
  | { status: "requested"; requestId: string; riskLevel: RiskLevel; approvalsPath: string };

/** A change that waits for a reviewer: its request, and where in the console it is decided. */
export async function requested(
  tx: Tx,
  ctx: TenantContext,
  request: { requestId: string; riskLevel: RiskLevel },
): Promise<ApiWrite> {
  const org = await organizationSlug(tx, ctx.organizationId);
  return {
    status: "requested",
    ...request,
    approvalsPath: `/o/${org}/approvals#request-${request.requestId}`,
  };
}

/**
 * Sets (or, with `value: null`, deletes) one value through the console's one write path, for a read-write token
 * or a person alike: wedding hours refuse (`locked:wedding_hours`), a HIGH or CRITICAL change becomes a change
 * request a reviewer decides, a version other than `expectedVersion` is a conflict. A token acts as its creator
 * within its scope, and one more audit row names it; a person acts as themselves.
 */
export async function writeValue(
  caller: ApiCaller,
  input: {
    environment: string;
    key: string;
    value: string | null;
    expectedVersion: number;
    note?: string;
    ip?: string;
  },
): Promise<ApiWrite> {
  return asCaller(caller, input.ip, async (tx, ctx) => {
    const named = environmentNamed(await environmentRefs(tx, ctx), caller, input.environment);
    const env = await environmentInOrg(tx, ctx, named.id);
    const variable = await liveVariableNamed(tx, ctx.organizationId, input.key);
    if (!variable) throw new AppError("not_found");
    if (!inScope(caller, variable)) throw new AppError("forbidden");
    const note =
      input.note ??
      (caller.kind === "token" ? `Through service token ${caller.token.tokenId}` : "Through the API");
    const outcome = await writeValues(
      tx,
      ctx,
      env,
      [{ variable, value: input.value, expectedVersion: input.expectedVersion, note }],
      { reason: note, source: input.value === null ? "delete" : "edit" },
    );
    const result: ApiWrite =
      outcome.status === "requested"
        ? await requested(tx, ctx, { requestId: outcome.request.id, riskLevel: outcome.request.riskLevel })
        : { status: "applied", version: outcome.written[0]?.version ?? 0 };
    return {
      result,
      use: {
        action: input.value === null ? "delete" : "update",
        environmentId: env.id,
        variableId: variable.id,
        details: {
          environment: env.name,
          key: variable.name,
          outcome: result.status,
          ...(result.status === "requested"
            ? { changeRequest: result.requestId }
            : { version: result.version }),
        },
      },
    };
  });
}

/** The presented token revokes itself (`ringbearer logout`): its next use is `token_revoked`. Audited as its use. */
export async function revokePresentedToken(token: ServiceTokenContext, ip?: string) {
  await asCaller({ kind: "token", token }, ip, async (tx) => {
    await revokeServiceTokenRow(tx, token.tokenId, token.createdBy);
    return { result: null, use: { action: "delete", details: { revoked: true, by: "itself" } } };
  });
}
