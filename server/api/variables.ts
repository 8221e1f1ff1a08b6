import { environmentRefs } from "@/db/repos/grants";
import { liveVariableNamed, variablePage } from "@/db/repos/variable-rows";
import { AppError } from "@/lib/errors";
import {
  createVariable,
  deleteVariable,
  updateVariable,
  type VariableInput,
} from "@/server/variables/variables";
import { type ApiCaller, asCaller, inScope, MACHINE_READ, reachable, scopeKey } from "./caller";
import { type ApiWrite, requested } from "./writes";

type Row = Awaited<ReturnType<typeof variablePage>>[number];

/** A variable as the API shows it: its metadata and its value's version in each environment the caller reads. */
function shown(row: Row, envNames: Map<string, string>) {
  const values: Record<string, number> = {};
  for (const [envId, version] of Object.entries(row.versions)) {
    const name = envNames.get(envId);
    if (name) values[name] = version;
  }
  return {
    name: row.name,
    displayName: row.displayName,
    description: row.description,
    type: row.variableType,
    classification: row.securityClassification,
    required: row.isRequired,
    weddingCritical: row.isWeddingCritical,
    tags: row.tags,
    version: row.version,
    values,
  };
}

/**
 * One page of the variables in the caller's scope, by name (`after` the last one of the previous page), with the
 * versions of their values (never a value). `next` names the page after, null at the end. Audited for a token.
 */
export async function listApiVariables(
  caller: ApiCaller,
  page: { after?: string; limit: number },
  ip?: string,
) {
  return asCaller(
    caller,
    ip,
    async (tx, ctx) => {
      const [envs, rows] = await Promise.all([
        environmentRefs(tx, ctx),
        variablePage(tx, ctx.organizationId, {
          after: page.after ?? null,
          limit: page.limit + 1,
          ...scopeKey(caller),
        }),
      ]);
      const envNames = new Map(reachable(envs, caller).map((e) => [e.id, e.name]));
      const more = rows.length > page.limit;
      const variables = rows.slice(0, page.limit).map((r) => shown(r, envNames));
      return {
        result: { variables, next: more ? variables[variables.length - 1].name : null },
        use: { action: "read", details: { listed: "variables", count: variables.length } },
      };
    },
    MACHINE_READ,
  );
}

/** One variable in the caller's scope (`not_found` otherwise): metadata and value versions. */
export async function apiVariable(caller: ApiCaller, key: string, ip?: string) {
  return asCaller(
    caller,
    ip,
    async (tx, ctx) => {
      const [envs, rows] = await Promise.all([
        environmentRefs(tx, ctx),
        variablePage(tx, ctx.organizationId, { name: key, limit: 1 }),
      ]);
      const row = rows.find((r) => r.name === key && inScope(caller, r));
      if (!row) throw new AppError("not_found");
      return {
        result: shown(row, new Map(reachable(envs, caller).map((e) => [e.id, e.name]))),
        use: { action: "read", variableId: row.id, details: { key: row.name, count: 0 } },
      };
    },
    MACHINE_READ,
  );
}

/**
 * Creates a variable (no value yet) as the caller: the console's own service (capability, unique name, audited).
 * A token may create only within its name prefix and tag.
 */
export async function createApiVariable(caller: ApiCaller, input: VariableInput, ip?: string) {
  return asCaller(caller, ip, async (tx, ctx) => {
    if (!inScope(caller, input)) throw new AppError("forbidden");
    const row = await createVariable(tx, ctx, input);
    return {
      result: { name: input.name, version: row.version },
      use: { action: "create", variableId: row.id, details: { key: input.name } },
    };
  });
}

/**
 * Deletes a variable (restorable for 90 days) if it is still at `expectedVersion`: the console's service, so
 * deleting a wedding-critical one, or one with a HIGH value somewhere, becomes a change request.
 */
export async function deleteApiVariable(
  caller: ApiCaller,
  input: { key: string; expectedVersion: number; reason?: string },
  ip?: string,
): Promise<ApiWrite> {
  return asCaller(caller, ip, async (tx, ctx) => {
    const variable = await liveVariableNamed(tx, ctx.organizationId, input.key);
    if (!variable || !inScope(caller, variable)) throw new AppError("not_found");
    const reason =
      input.reason ??
      (caller.kind === "token" ? `Through service token ${caller.token.tokenId}` : "Through the API");
    const outcome = await deleteVariable(tx, ctx, variable.id, input.expectedVersion, { reason });
    const result: ApiWrite =
      outcome.status === "requested"
        ? await requested(tx, ctx, outcome)
        : { status: "applied", version: input.expectedVersion };
    return {
      result,
      use: {
        action: "delete",
        variableId: variable.id,
        details: {
          key: variable.name,
          outcome: result.status,
          ...(result.status === "requested" ? { changeRequest: result.requestId } : {}),
        },
      },
    };
  });
}

/**
 * Replaces a variable's metadata (the console's fields; a rename too) if it is still at `expectedVersion`: the
 * console's service, so lowering its classification or removing the wedding-critical flag becomes a change request.
 * A token keeps it within its name prefix and tag, before and after.
 */
export async function updateApiVariable(
  caller: ApiCaller,
  input: { key: string; expectedVersion: number; metadata: VariableInput; reason?: string },
  ip?: string,
): Promise<ApiWrite> {
  return asCaller(caller, ip, async (tx, ctx) => {
    const variable = await liveVariableNamed(tx, ctx.organizationId, input.key);
    if (!variable || !inScope(caller, variable)) throw new AppError("not_found");
    if (!inScope(caller, input.metadata)) throw new AppError("forbidden");
    const reason =
      input.reason ??
      (caller.kind === "token" ? `Through service token ${caller.token.tokenId}` : "Through the API");
    const outcome = await updateVariable(tx, ctx, variable.id, input.expectedVersion, input.metadata, {
      reason,
    });
    const result: ApiWrite =
      outcome.status === "requested"
        ? await requested(tx, ctx, outcome)
        : { status: "applied", version: outcome.version };
    return {
      result,
      use: {
        action: "update",
        variableId: variable.id,
        details: {
          key: variable.name,
          outcome: result.status,
          ...(result.status === "requested" ? { changeRequest: result.requestId } : {}),
        },
      },
    };
  });
}
