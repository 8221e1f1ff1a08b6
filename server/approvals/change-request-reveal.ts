import { and, eq } from "drizzle-orm";
import type { Tx } from "@/db/client";
import type { TenantContext } from "@/db/context";
import { environmentInOrg } from "@/db/repos/grants";
import { changeRequestItems, changeRequests, environments, environmentVariables } from "@/db/schema";
import { orgKeys } from "@/db/vault";
import { canApprove } from "@/lib/approvals";
import { AppError } from "@/lib/errors";
import { writeAudit } from "@/server/audit/audit";
import { requireStepUpForReveal } from "@/server/auth/step-up";
import { requireValuePermission } from "@/server/authz";
import { decryptWith } from "@/server/values/values";

/**
 * The audited reveal of a proposed value, for the reviewers who decide the request and for its requester, when
 * they may read values of that environment (as for the live value): so nobody approves a value they could not
 * see, and nobody reads through a proposal what they could not read.
 */
export async function revealProposedValue(
  tx: Tx,
  ctx: TenantContext,
  input: { id: string; variableId: string },
) {
  const [row] = await tx
    .select({
      request: changeRequests,
      item: changeRequestItems,
      variable: {
        name: environmentVariables.name,
        isWeddingCritical: environmentVariables.isWeddingCritical,
        securityClassification: environmentVariables.securityClassification,
      },
      environmentType: environments.environmentType,
    })
    .from(changeRequestItems)
    .innerJoin(changeRequests, eq(changeRequests.id, changeRequestItems.changeRequestId))
    .innerJoin(environmentVariables, eq(environmentVariables.id, changeRequestItems.variableId))
    .innerJoin(environments, eq(environments.id, changeRequestItems.environmentId))
    .where(
      and(
        eq(changeRequests.id, input.id),
        eq(changeRequests.organizationId, ctx.organizationId),
        eq(changeRequestItems.variableId, input.variableId),
      ),
    );
  if (!row) throw new AppError("not_found");
  if (!canApprove(ctx.role) && row.request.requestedBy !== ctx.userId) throw new AppError("forbidden");
  // The same read permission as revealing the value there: a proposal is a value of that environment (a
  // developer's adopted drift, a colleague's new key), whoever asked for it or decides it.
  await requireValuePermission(
    tx,
    ctx,
    input.variableId,
    await environmentInOrg(tx, ctx, row.item.environmentId),
    "read",
  );
  if (row.request.status !== "pending")
    throw new AppError("conflict:decided", { form: ["Only a pending request's values can be revealed"] });
  if (!row.item.newEncryptedValue || !row.item.encryptionKeyId)
    throw new AppError("validation", { form: ["This change deletes the value: there is nothing to reveal"] });
  // Bound for production and wedding-critical: the same step-up as revealing the live value.
  await requireStepUpForReveal(tx, ctx, row.variable, { environmentType: row.environmentType });
  const value = decryptWith(
    await orgKeys(tx, ctx.organizationId),
    row.item.encryptionKeyId,
    row.item.newEncryptedValue,
    {
      organizationId: ctx.organizationId,
      variableId: input.variableId,
      environmentId: row.item.environmentId,
    },
  );
  await writeAudit(tx, ctx, {
    action: "decrypt",
    resourceType: "change_request",
    resourceId: row.request.id,
    variableId: input.variableId,
    environmentId: row.item.environmentId,
    newValueHash: row.item.newValueHash,
    details: { name: row.variable.name, proposed: true },
  });
  return { value };
}
