import { randomBytes, randomUUID } from "node:crypto";
import path from "node:path";
import { and, eq, sql } from "drizzle-orm";
import { openSecret, sealSecret } from "@/lib/crypto";
import { AppError } from "@/lib/errors";
import { literalHostRefusal } from "@/lib/net/outbound-policy";
import { fileTarget, resolveTargetPath } from "@/lib/targets/file-target";
import { httpTarget } from "@/lib/targets/http-target";
import { type TargetDriver, TargetError } from "@/lib/targets/types";
import type { TargetInput } from "@/lib/validation/targets";
import { environmentInOrg, requireCapability } from "../authz";
import type { Tx } from "../client";
import { type TenantContext, withContext } from "../context";
import { orgKeys } from "../keyring";
import { outboundAllowlist } from "../outbound";
import { syncTargets } from "../schema";
import { writeAudit } from "./audit";

/** File targets live under this folder of the console's server, and nowhere else. */
export const targetRoot = () =>
  path.resolve(
    process.env.RINGBEARER_SYNC_FILE_ROOT ?? path.join(process.env.RINGBEARER_DATA_DIR ?? ".data", "targets"),
  );

export const secretAad = (organizationId: string, targetId: string) =>
  `ringbearer:target-secret:v1:${organizationId}:${targetId}`;

/**
 * The location as stored, refused with a field error when it cannot be used: an HTTP receiver whose host is
 * a private, loopback or link-local address (or `localhost`) that the operator has not allowlisted — names are
 * checked again on their resolved address at every connection — or a file path outside the target folder.
 */
export async function checkedLocation(input: Pick<TargetInput, "kind" | "location">) {
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
    await resolveTargetPath(targetRoot(), input.location);
    return input.location;
  } catch (error) {
    if (error instanceof TargetError) throw new AppError("validation", { location: [error.message] });
    throw error;
  }
}

/**
 * Adds a target to an environment (owners and admins). Without a secret one is generated; for an HTTP
 * target it is returned this once so it can be given to the receiver, then only its sealed form is kept.
 */
export async function createTarget(tx: Tx, ctx: TenantContext, input: TargetInput) {
  requireCapability(ctx, "environment:manage");
  const env = await environmentInOrg(tx, ctx, input.environmentId);
  const location = await checkedLocation(input);
  const id = randomUUID();
  const secret = input.secret ?? randomBytes(32).toString("base64url");
  const keys = await orgKeys(tx, ctx.organizationId);
  const [row] = await tx
    .insert(syncTargets)
    .values({
      id,
      organizationId: ctx.organizationId,
      environmentId: env.id,
      name: input.name,
      kind: input.kind,
      location,
      secretSealed: sealSecret(keys.dataKey, secret, secretAad(ctx.organizationId, id)),
      encryptionKeyId: keys.dataKeyId,
      deleteUnmanaged: input.deleteUnmanaged,
      autoPush: input.autoPush,
      scanIntervalMinutes: input.scanIntervalMinutes,
      createdBy: ctx.userId,
    })
    .onConflictDoNothing()
    .returning({ id: syncTargets.id });
  if (!row)
    throw new AppError("conflict:exists", { name: [`${env.name} already has a target named ${input.name}`] });
  await writeAudit(tx, ctx, {
    action: "create",
    resourceType: "sync_target",
    resourceId: id,
    environmentId: env.id,
    details: {
      name: input.name,
      kind: input.kind,
      location,
      environment: env.name,
      delete_unmanaged: input.deleteUnmanaged,
      auto_push: input.autoPush,
      secret: input.secret ? "given" : "generated",
    },
  });
  return { id, secret: !input.secret && input.kind === "http" ? secret : null };
}

export type OpenTarget = {
  target: typeof syncTargets.$inferSelect;
  env: Awaited<ReturnType<typeof environmentInOrg>>;
  secret: string;
  driver: TargetDriver;
};

/** A target of the caller's organization with its secret opened and a driver to talk to it. */
export async function openTarget(tx: Tx, ctx: TenantContext, id: string): Promise<OpenTarget> {
  const [target] = await tx
    .select()
    .from(syncTargets)
    .where(and(eq(syncTargets.id, id), eq(syncTargets.organizationId, ctx.organizationId)));
  if (!target) throw new AppError("not_found");
  const env = await environmentInOrg(tx, ctx, target.environmentId);
  const keys = await orgKeys(tx, ctx.organizationId);
  const key = keys.byId.get(target.encryptionKeyId);
  if (!key) throw new Error(`data key ${target.encryptionKeyId} is not available`);
  const secret = openSecret(key, target.secretSealed, secretAad(ctx.organizationId, target.id));
  const driver =
    target.kind === "http"
      ? httpTarget({ url: target.location, secret, allow: outboundAllowlist() })
      : fileTarget({ path: await resolveTargetPath(targetRoot(), target.location), secret });
  return { target, env, secret, driver };
}

/** Records how the last contact with a target went (a test, a scan or a push). */
export async function recordContact(
  tx: Tx,
  targetId: string,
  result: { ok: boolean; message: string; scanned?: boolean },
) {
  await tx
    .update(syncTargets)
    .set({
      lastTestAt: sql`now()`,
      lastTestStatus: result.ok ? "passed" : "failed",
      lastTestMessage: result.message.slice(0, 500),
      ...(result.scanned ? { lastScanAt: sql`now()` } : {}),
    })
    .where(eq(syncTargets.id, targetId));
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
