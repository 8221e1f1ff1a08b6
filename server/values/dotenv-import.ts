import type { Tx } from "@/db/client";
import type { TenantContext } from "@/db/context";
import { environmentInOrg } from "@/db/repos/grants";
import { insertVariables, liveVariablesNamed, type VariableRow } from "@/db/repos/variable-rows";
import { orgVault } from "@/db/vault";
import { canPropose } from "@/lib/approvals";
import { parseDotenv } from "@/lib/dotenv";
import { AppError } from "@/lib/errors";
import { atLeast } from "@/lib/policy";
import type { EnvironmentType } from "@/lib/roles";
import { checkValue } from "@/lib/value-checks";
import { writeAudit, writeAudits } from "@/server/audit/audit";
import { requireCapability, valuePermission } from "@/server/authz";
import { currentValues, type ValueWrite, writeValues } from "@/server/values/value-writes";

/** Keys that are not variables yet are created with these (safe) defaults; edit them afterwards. */
export const IMPORT_DEFAULTS = { variableType: "secret", securityClassification: "confidential" } as const;

export type ImportStatus = "new" | "changed" | "unchanged" | "invalid";
export type ImportLine = {
  line: number;
  key: string | null;
  status: ImportStatus;
  newVariable: boolean;
  message?: string;
  /** The line imports, but may not mean what it seems (an unquoted `#` cut the value short). */
  warning?: string;
};
export type ImportPreview = {
  environment: string;
  lines: ImportLine[];
  /** Lines by status, and how many lines carry a warning. */
  counts: Record<ImportStatus, number> & { warnings: number };
  /** The version of each key's value the preview saw (0 = none); the apply must still find these. */
  expected: Record<string, number>;
};

type Variable = VariableRow;

async function variablesByName(tx: Tx, ctx: TenantContext, names: string[]) {
  const found = new Map<string, Variable>();
  if (names.length === 0) return found;
  const rows = await liveVariablesNamed(tx, ctx.organizationId, names);
  for (const r of rows) found.set(r.name, r);
  return found;
}

async function analyse(tx: Tx, ctx: TenantContext, environmentId: string, text: string) {
  const env = await environmentInOrg(tx, ctx, environmentId);
  // Writers import; those who may only propose here send the import for approval (the apply decides).
  const { permission } = await valuePermission(tx, ctx, null, env);
  if (!atLeast(permission, "write") && !canPropose(ctx.role)) throw new AppError("forbidden");
  const { entries, problems, warnings } = parseDotenv(text);
  const warningAt = new Map(warnings.map((w) => [w.line, w.message]));
  const variables = await variablesByName(
    tx,
    ctx,
    entries.map((e) => e.key),
  );
  const current = await currentValues(
    tx,
    env.id,
    [...variables.values()].map((v) => v.id),
  );
  const vault = await orgVault(tx, ctx.organizationId);
  const lines: ImportLine[] = problems.map((p) => ({
    line: p.line,
    key: p.key ?? null,
    status: "invalid",
    newVariable: false,
    message: p.message,
  }));
  const expected: Record<string, number> = {};
  const writes: (ValueWrite & { isNew: boolean })[] = [];
  for (const entry of entries) {
    const variable = variables.get(entry.key);
    const now = variable ? current.get(variable.id) : undefined;
    expected[entry.key] = now?.version ?? 0;
    const failed = (
      await checkValue({
        variableType: (variable?.variableType ?? IMPORT_DEFAULTS.variableType) as Parameters<
          typeof checkValue
        >[0]["variableType"],
        value: entry.value,
        environmentType: env.environmentType as EnvironmentType,
        validationPattern: variable?.validationPattern,
        tags: variable?.tags ?? [],
      })
    ).filter((c) => c.status === "failed");
    const warning = warningAt.get(entry.line);
    const base = {
      line: entry.line,
      key: entry.key,
      newVariable: !variable,
      ...(warning ? { warning } : {}),
    };
    if (failed.length > 0) {
      lines.push({ ...base, status: "invalid", message: failed.map((f) => f.message).join("; ") });
    } else if (now && now.valueHash === vault.hash(entry.value)) {
      lines.push({ ...base, status: "unchanged" });
    } else {
      lines.push({ ...base, status: now ? "changed" : "new" });
      writes.push({
        isNew: !variable,
        variable: variable ?? {
          id: "",
          name: entry.key,
          ...IMPORT_DEFAULTS,
          isWeddingCritical: false,
          validationPattern: null,
          tags: [],
        },
        value: entry.value,
        expectedVersion: now?.version ?? 0,
      });
    }
  }
  lines.sort((a, b) => a.line - b.line);
  const counts = { new: 0, changed: 0, unchanged: 0, invalid: 0, warnings: warnings.length };
  for (const l of lines) counts[l.status] += 1;
  return { env, preview: { environment: env.name, lines, counts, expected }, writes };
}

/** What importing this `.env` text into the environment would do, line by line. Nothing is written. */
export async function previewImport(
  tx: Tx,
  ctx: TenantContext,
  environmentId: string,
  text: string,
): Promise<ImportPreview> {
  return (await analyse(tx, ctx, environmentId, text)).preview;
}

/**
 * Applies an import in the caller's transaction: refused whole if any line is invalid or any value moved
 * since the preview (`expected`); otherwise creates missing variables and writes new and changed values —
 * or, when any of them needs approval, sends them all as one change request (the note is its reason).
 */
export async function applyImport(
  tx: Tx,
  ctx: TenantContext,
  input: { environmentId: string; text: string; expected: Record<string, number>; note?: string },
) {
  const { env, preview, writes } = await analyse(tx, ctx, input.environmentId, input.text);
  const invalid = preview.lines.filter((l) => l.status === "invalid");
  if (invalid.length > 0) {
    throw new AppError("validation", {
      text: invalid.slice(0, 10).map((l) => `Line ${l.line}${l.key ? ` (${l.key})` : ""}: ${l.message}`),
    });
  }
  if (writes.length === 0)
    return { created: 0, written: 0, unchanged: preview.counts.unchanged, request: null };
  const fresh = writes.filter((w) => w.isNew);
  if (fresh.length > 0) {
    requireCapability(ctx, "variable:create");
    for (let i = 0; i < fresh.length; i += 1000) {
      const created = await insertVariables(
        tx,
        fresh.slice(i, i + 1000).map((w) => ({
          organizationId: ctx.organizationId,
          name: w.variable.name,
          ...IMPORT_DEFAULTS,
          createdBy: ctx.userId,
          updatedBy: ctx.userId,
        })),
      );
      const byName = new Map(created.map((c) => [c.name, c]));
      for (const w of fresh.slice(i, i + 1000)) w.variable = byName.get(w.variable.name) as Variable;
      await writeAudits(
        tx,
        ctx,
        created.map((c) => ({
          action: "create" as const,
          resourceType: "variable" as const,
          resourceId: c.id,
          variableId: c.id,
          details: { name: c.name, via: "import", ...IMPORT_DEFAULTS },
        })),
      );
    }
  }
  const note = ["Imported from .env", input.note].filter(Boolean).join(": ");
  const result = await writeValues(
    tx,
    ctx,
    env,
    writes.map((w) => ({ ...w, expectedVersion: input.expected[w.variable.name] ?? 0, note })),
    { fieldFor: (w) => w.variable.name, reason: input.note, source: "import" },
  );
  const written = result.status === "applied" ? result.written : [];
  const request = result.status === "requested" ? result.request : null;
  await writeAudit(tx, ctx, {
    action: "import",
    resourceType: "environment",
    resourceId: env.id,
    environmentId: env.id,
    details: {
      environment: env.name,
      created_variables: fresh.length,
      written: written.length,
      unchanged: preview.counts.unchanged,
      ...(request ? { change_request: request.id, waiting: request.items } : {}),
    },
  });
  return { created: fresh.length, written: written.length, unchanged: preview.counts.unchanged, request };
}
