import { randomBytes, randomUUID } from "node:crypto";
import path from "node:path";
import type { Tx } from "@/db/client";
import { type TenantContext, withContext } from "@/db/context";
import { environmentInOrg } from "@/db/repos/grants";
import { insertTarget, markContact, type TargetRow, targetById } from "@/db/repos/targets";
import { type OrgVault, orgVault } from "@/db/vault";
import { AppError } from "@/lib/errors";
import { literalHostRefusal } from "@/lib/net/outbound-policy";
import { riskOf } from "@/lib/risk";
import type { EnvironmentType } from "@/lib/roles";
import { targetSecretAad } from "@/lib/sealed-aad";
import { organizationFileTarget } from "@/lib/targets/file-target";
import { httpTarget } from "@/lib/targets/http-target";
import { organizationFilePath } from "@/lib/targets/organization-folder";
import { type TargetDriver, TargetError } from "@/lib/targets/types";
import type { TargetInput } from "@/lib/validation/targets";
import {
  type Approval,
  approvedBy,
  approvedChange,
  type Deferred,
  deferChange,
  mustWait,
} from "@/server/approvals/change-request-open";
import { writeAudit } from "@/server/audit/audit";
import { requireCapability } from "@/server/authz";
import { outboundAllowlist } from "@/server/outbound";

/**
 * The folder all file targets live under; each organization has its own folder in it, named by its id
 * (lib/targets/organization-folder.ts), and a location is only ever resolved inside that folder.
 */
const fileRoot = () =>
  path.resolve(
    process.env.RINGBEARER_SYNC_FILE_ROOT ?? path.join(process.env.RINGBEARER_DATA_DIR ?? ".data", "targets"),
  );

export const secretAad = targetSecretAad;

/** A target's shared secret sealed under the organization's current data key, as its row keeps it. */
export function sealTargetSecret(vault: OrgVault, organizationId: string, targetId: string, secret: string) {
  const { ciphertext, keyId } = vault.sealSecret(secret, secretAad(organizationId, targetId));
  return { secretSealed: ciphertext, encryptionKeyId: keyId };
}

/**
 * The location as stored, refused with a field error when it cannot be used: an HTTP receiver whose host is
 * a private, loopback or link-local address (or `localhost`) that the operator has not allowlisted — names are
 * checked again on their resolved address at every connection — or a file path that does not resolve inside the organization's own folder.
 */
export async function checkedLocation(organizationId: string, input: Pick<TargetInput, "kind" | "location">) {
  if (input.kind === "http") {
    const location = input.location.replace(/\/+$/, "");
    let host: string;
    try {
      host = new URL(location).hostname;
    } catch {
      throw new AppError("validation", { location: ["Enter the receiver's http(s) URL"] });
    }
    if (literalHostRefusal(host, outboundAllowlist()))
      throw new AppError("validation", {
        location: [
          "Ringbearer does not connect to private, loopback or link-local addresses. Use the receiver's public address, or ask the operator to allow it (RINGBEARER_OUTBOUND_ALLOW)",
        ],
      });
    return location;
  }
  try {
    organizationFilePath(fileRoot(), organizationId, input.location);
    return input.location;
  } catch (error) {
    if (error instanceof TargetError) throw new AppError("validation", { location: [error.message] });
    throw error;
  }
}

/** Added, or waiting for approval; a generated secret is shown to the author either way, this once. */
export type TargetCreated = ({ status: "applied" } | Deferred) & { id: string; secret: string | null };

/** A production target waiting for approval: its input (no secret), its id and its secret, sealed for that id. */
export type DeferredTarget = {
  id: string;
  input: Omit<TargetInput, "secret">;
  secretSealed: string;
  encryptionKeyId: string;
  secretGiven: boolean;
};

/** The driver of a stored target; a file target is bound to the organization that owns the row. */
function driverOf(target: TargetRow, secret: string): TargetDriver {
  if (target.kind === "http") return httpTarget({ url: target.location, secret, allow: outboundAllowlist() });
  return organizationFileTarget({
    root: fileRoot(),
    organizationId: target.organizationId,
    location: target.location,
    secret,
  });
}

/**
 * Adds a target to an environment (owners and admins). Without a secret one is generated; for an HTTP
 * target it is returned this once so it can be given to the receiver, then only its sealed form is kept.
 * A target of a production-tier environment receives production values: adding one is HIGH and waits for a
 * reviewer (the target's id and sealed secret wait in the request; the generated secret is still shown now).
 */
export async function createTarget(
  tx: Tx,
  ctx: TenantContext,
  input: TargetInput,
  options: { reason?: string; approval?: Approval; deferred?: DeferredTarget } = {},
): Promise<TargetCreated> {
  const approved = await approvedChange(
    tx,
    ctx,
    options.approval,
    "target:create",
    options.deferred?.id ?? null,
  );
  if (!approved) requireCapability(ctx, "environment:manage");
  const env = await environmentInOrg(tx, ctx, input.environmentId);
  const location = await checkedLocation(ctx.organizationId, input);
  const vault = await orgVault(tx, ctx.organizationId);
  const id = options.deferred?.id ?? randomUUID();
  const secret = options.deferred ? null : (input.secret ?? randomBytes(32).toString("base64url"));
  const sealed = options.deferred ?? {
    ...sealTargetSecret(vault, ctx.organizationId, id, secret as string),
    secretGiven: Boolean(input.secret),
  };
  const shown = !sealed.secretGiven && input.kind === "http" ? secret : null;
  const risk = riskOf({ action: "target:create", environmentType: env.environmentType as EnvironmentType });
  if (mustWait(risk, approved)) {
    const { secret: _given, ...rest } = input;
    const deferred = await deferChange(tx, ctx, {
      action: "target:create",
      payload: { id, input: { ...rest, location }, ...sealed } satisfies DeferredTarget,
      summary: `New target ${input.name} of ${env.name} (${input.kind}): ${location}`.slice(0, 500),
      risk,
      reason: options.reason,
      resourceId: id,
    });
    return { ...deferred, id, secret: shown };
  }
  const row = await insertTarget(tx, {
    id,
    organizationId: ctx.organizationId,
    environmentId: env.id,
    name: input.name,
    kind: input.kind,
    location,
    secretSealed: sealed.secretSealed,
    encryptionKeyId: sealed.encryptionKeyId,
    deleteUnmanaged: input.deleteUnmanaged,
    autoPush: input.autoPush,
    scanIntervalMinutes: input.scanIntervalMinutes,
    createdBy: ctx.userId,
  });
  if (!row)
    throw new AppError("conflict:exists", { name: [`${env.name} already has a target named ${input.name}`] });
  await writeAudit(tx, ctx, {
    action: "create",
    resourceType: "sync_target",
    resourceId: id,
    environmentId: env.id,
    riskLevel: risk.level,
    details: {
      name: input.name,
      kind: input.kind,
      location,
      environment: env.name,
      delete_unmanaged: input.deleteUnmanaged,
      auto_push: input.autoPush,
      secret: sealed.secretGiven ? "given" : "generated",
      ...approvedBy(options.approval),
    },
  });
  return { status: "applied", id, secret: shown };
}

export type OpenTarget = {
  target: TargetRow;
  env: Awaited<ReturnType<typeof environmentInOrg>>;
  secret: string;
  driver: TargetDriver;
};

/**
 * A target of the caller's organization with its secret opened and a driver to talk to it. Nothing is read
 * here: a file target's path is resolved and checked at each call of its driver, so a refused location
 * (a symlink out of the organization's folder, a location saved before the allow-list) fails that test,
 * scan or push with its message, like an unreachable receiver.
 */
export async function openTarget(tx: Tx, ctx: TenantContext, id: string): Promise<OpenTarget> {
  const target = await targetById(tx, ctx.organizationId, id);
  if (!target) throw new AppError("not_found");
  const env = await environmentInOrg(tx, ctx, target.environmentId);
  const vault = await orgVault(tx, ctx.organizationId);
  const secret = vault.openSecret(
    { ciphertext: target.secretSealed, keyId: target.encryptionKeyId },
    secretAad(ctx.organizationId, target.id),
  );
  return { target, env, secret, driver: driverOf(target, secret) };
}

/** Records how the last contact with a target went (a test, a scan or a push). */
export async function recordContact(
  tx: Tx,
  targetId: string,
  result: { ok: boolean; message: string; scanned?: boolean },
) {
  await markContact(tx, targetId, {
    status: result.ok ? "passed" : "failed",
    message: result.message.slice(0, 500),
    scanned: Boolean(result.scanned),
  });
}

/** The connection test: reads what is deployed (no change), records and audits the outcome. */
export async function testTarget(ctx: TenantContext, id: string) {
  requireCapability(ctx, "environment:manage");
  const open = await withContext(ctx, (tx) => openTarget(tx, ctx, id));
  let result: { ok: boolean; message: string };
  try {
    const state = await open.driver.state();
    result = { ok: true, message: `Connected: ${state.size} key(s) deployed` };
  } catch (error) {
    if (!(error instanceof TargetError)) throw error;
    result = { ok: false, message: error.message };
  }
  await withContext(ctx, async (tx) => {
    await recordContact(tx, id, result);
    await writeAudit(tx, ctx, {
      action: "read",
      resourceType: "sync_target",
      resourceId: id,
      environmentId: open.env.id,
      details: { test: result.ok ? "passed" : "failed", message: result.message },
    });
  });
  return result;
}

/** Scans and pushes need an active target; a connection test does not (check it before activating). */
export function requireActive(open: OpenTarget) {
  if (!open.target.isActive) throw new AppError("conflict:inactive");
}
