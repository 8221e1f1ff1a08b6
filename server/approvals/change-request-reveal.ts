import type { Tx } from "@/db/client";
import type { TenantContext } from "@/db/context";
import { proposalForReveal } from "@/db/repos/approvals";
import { environmentInOrg } from "@/db/repos/grants";
import { orgVault } from "@/db/vault";
import { canApprove } from "@/lib/approvals";
import { AppError } from "@/lib/errors";
import { writeAudit } from "@/server/audit/audit";
import { requireStepUpForReveal } from "@/server/auth/step-up";
import { requireValuePermission } from "@/server/authz";

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
  const row = await proposalForReveal(tx, ctx.organizationId, input);
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
  const vault = await orgVault(tx, ctx.organizationId);
  const value = vault.decryptValue(
    { ciphertext: row.item.newEncryptedValue, keyId: row.item.encryptionKeyId },
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
