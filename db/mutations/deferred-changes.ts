import type { Role } from "@/lib/roles";
import type { PolicyInput } from "@/lib/validation/access";
import type { TargetSettings } from "@/lib/validation/targets";
import type { Tx } from "../client";
import type { TenantContext } from "../context";
import { grantPolicy } from "./access";
import type { DeferredAction } from "./change-request-open";
import { type EnvironmentInput, updateEnvironment } from "./environments";
import { changeRole } from "./members";
import { removeProtection, setTimeZone } from "./settings";
import { createTarget, type DeferredTarget } from "./sync-targets";
import { updateTarget } from "./target-settings";
import { deleteVariable, restoreVariable, updateVariable, type VariableInput } from "./variables";

type Payload = Record<string, unknown>;

/**
 * Replays an approved console change through the same domain function that deferred it, as the approver,
 * with the approval (which skips the gate and the author's capability check, already made when it was asked
 * for). A version conflict or a vanished row surfaces as the function's own error: the request goes stale.
 */
export async function runDeferred(
  tx: Tx,
  ctx: TenantContext,
  request: { id: string; action: string; payload: unknown },
) {
  const approval = { requestId: request.id };
  const p = (request.payload ?? {}) as Payload;
  const action = request.action as DeferredAction;
  switch (action) {
    case "variable:update":
      return updateVariable(tx, ctx, p.id as string, p.expectedVersion as number, p.input as VariableInput, {
        approval,
      });
    case "variable:delete":
      return deleteVariable(tx, ctx, p.id as string, p.expectedVersion as number, { approval });
    case "environment:update":
      return updateEnvironment(
        tx,
        ctx,
        p.id as string,
        p.expectedVersion as number,
        p.input as EnvironmentInput,
        { approval },
      );
    case "protection:remove":
      return removeProtection(tx, ctx, p as { kind: "window" | "blackout"; id: string }, { approval });
    case "policy:grant":
      return grantPolicy(tx, ctx, p as PolicyInput, { approval });
    case "member:role":
      return changeRole(
        tx,
        ctx,
        { userId: p.userId as string, role: p.role as Role },
        {
          approval,
          from: p.from as Role,
        },
      );
    case "target:update":
      return updateTarget(tx, ctx, p.input as TargetSettings, { approval });
    case "target:create":
      return createTarget(tx, ctx, (p as DeferredTarget).input, { approval, deferred: p as DeferredTarget });
    case "variable:restore":
      return restoreVariable(tx, ctx, p.id as string, { approval });
    case "settings:time_zone":
      return setTimeZone(tx, ctx, { timeZone: p.timeZone as string }, { approval });
  }
}
