import { environmentInOrg } from "@/db/repos/grants";
import { organizationSlug } from "@/db/repos/organizations";
import { liveVariableNamed } from "@/db/repos/variable-rows";
import { AppError } from "@/lib/errors";
import type { RiskLevel } from "@/lib/risk";
import { writeValues } from "@/server/values/value-writes";
import type { ServiceTokenContext } from "./service-tokens";
import { asToken, inTokenScope, type TokenUse, tokenEnvironment } from "./token-scope";

export type TokenWrite =
  | { status: "applied"; version: number }
  | { status: "requested"; requestId: string; riskLevel: RiskLevel; approvalsPath: string };

/**
 * Sets (or, with `value: null`, deletes) one value with a read-write token, through the same write path as a
 * person: wedding hours refuse (`locked:wedding_hours`), a HIGH or CRITICAL change becomes a change request a
 * reviewer decides, a version other than `expectedVersion` is a conflict. The token acts as its creator within
 * its scope; one audit row names the token, besides the rows the write itself leaves.
 */
export async function tokenWriteValue(
  token: ServiceTokenContext,
  input: {
    environment: string;
    key: string;
    value: string | null;
    expectedVersion: number;
    note?: string;
    ip?: string;
  },
): Promise<TokenWrite> {
  return asToken(token, input.ip, async (tx, ctx) => {
    const env = await environmentInOrg(
      tx,
      ctx,
      (await tokenEnvironment(tx, ctx, token, input.environment)).id,
    );
    const variable = await liveVariableNamed(tx, ctx.organizationId, input.key);
    if (!variable) throw new AppError("not_found");
    if (!inTokenScope(token, variable)) throw new AppError("forbidden");
    const note = input.note ?? `Through service token ${token.tokenId}`;
    const outcome = await writeValues(
      tx,
      ctx,
      env,
      [{ variable, value: input.value, expectedVersion: input.expectedVersion, note }],
      { reason: note, source: input.value === null ? "delete" : "edit" },
    );
    const result: TokenWrite =
      outcome.status === "requested"
        ? {
            status: "requested",
            requestId: outcome.request.id,
            riskLevel: outcome.request.riskLevel,
            approvalsPath: `/o/${await organizationSlug(tx, ctx.organizationId)}/approvals#request-${outcome.request.id}`,
          }
        : { status: "applied", version: outcome.written[0]?.version ?? 0 };
    const use: TokenUse = {
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
    };
    return { result, use };
  });
}
