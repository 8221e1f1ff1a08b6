import type { Tx } from "@/db/client";
import type { TenantContext } from "@/db/context";
import { checkCommand, type DeferredCommandName } from "@/lib/commands";
import { AppError } from "@/lib/errors";
import { grantPolicy } from "@/server/access/access";
import { changeRole } from "@/server/access/members";
import type { DeferredAction } from "@/server/approvals/change-request-open";
import { deleteDestination } from "@/server/destinations/destination-removal";
import { updateEnvironment } from "@/server/environments/environments";
import { deleteIntegration } from "@/server/integrations/integration-removal";
import { removeProtection, setTimeZone } from "@/server/organizations/settings";
import { createTarget } from "@/server/targets/sync-targets";
import { updateTarget } from "@/server/targets/target-settings";
import { deleteVariable, restoreVariable, updateVariable } from "@/server/variables/variables";

// Every action a change request may defer has a command schema (lib/commands.ts), and no other.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
export const DEFERRED_NAMES_MATCH: Same<DeferredAction, DeferredCommandName> = true;

/**
 * Replays an approved console change as a typed command: its stored payload is checked again with the schema
 * the direct action uses (lib/commands.ts; a tampered or unknown command is refused with
 * `invalid:change_request`, nothing written), then run through the same domain function that deferred it, as
 * the approver, carrying the request's id. That function's gate verifies the approval itself (approved by the
 * caller in this transaction, for this action and row) before it skips the author's capability check, which was
 * made when the change was asked for. A version conflict or a vanished row surfaces as the function's own
 * error: the request goes stale.
 */
export async function runDeferred(
  tx: Tx,
  ctx: TenantContext,
  request: { id: string; action: string; payload: unknown; resourceId: string | null },
) {
  const checked = await checkCommand(request.action, request.payload, {
    resourceId: request.resourceId,
    organizationId: ctx.organizationId,
  });
  if (!checked.ok) throw new AppError("invalid:change_request", { form: [`Refused: ${checked.problem}`] });
  const approval = { requestId: request.id };
  const { command } = checked;
  switch (command.name) {
    case "variable:update": {
      const p = command.payload;
      return updateVariable(tx, ctx, p.id, p.expectedVersion, p.input, { approval });
    }
    case "variable:delete":
      return deleteVariable(tx, ctx, command.payload.id, command.payload.expectedVersion, { approval });
    case "variable:restore":
      return restoreVariable(tx, ctx, command.payload.id, { approval });
    case "environment:update": {
      const p = command.payload;
      return updateEnvironment(tx, ctx, p.id, p.expectedVersion, p.input, { approval });
    }
    case "protection:remove":
      return removeProtection(tx, ctx, command.payload, { approval });
    case "policy:grant":
      return grantPolicy(tx, ctx, command.payload, { approval });
    case "member:role": {
      const { from, ...input } = command.payload;
      return changeRole(tx, ctx, input, { approval, from });
    }
    case "target:update":
      return updateTarget(tx, ctx, command.payload.input, { approval });
    case "target:create": {
      const deferred = command.payload;
      return createTarget(tx, ctx, deferred.input, { approval, deferred });
    }
    case "settings:time_zone":
      return setTimeZone(tx, ctx, command.payload, { approval });
    case "destination:delete":
      return deleteDestination(tx, ctx, command.payload, { approval });
    case "integration:delete":
      return deleteIntegration(tx, ctx, command.payload, { approval });
  }
}
