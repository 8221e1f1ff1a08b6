"use server";

import { z } from "zod";
import { applyImport, previewImport } from "@/db/mutations/dotenv-import";
import { createEnvironment, updateEnvironment } from "@/db/mutations/environments";
import { VALUE_WRITE } from "@/lib/declared";
import { DOTENV_IMPORT_MAX_BYTES } from "@/lib/limits";
import { environmentInput } from "@/lib/validation/environments";
import { optionalText, safeString, versionNumber } from "@/lib/validation/fields";
import { runAction } from "@/server/action";

export async function createEnvironmentAction(org: string, _prev: unknown, form: FormData) {
  return runAction(org, environmentInput, form, (tx, ctx, input) => createEnvironment(tx, ctx, input), {
    capability: "environment:manage",
    revalidate: "/",
  });
}

export async function updateEnvironmentAction(org: string, _prev: unknown, form: FormData) {
  const schema = z
    .object({ id: z.uuid(), version: versionNumber(1), reason: optionalText(1000) })
    .and(environmentInput);
  return runAction(
    org,
    schema,
    form,
    (tx, ctx, { id, version, reason, ...input }) =>
      updateEnvironment(tx, ctx, id, version, input, { reason }),
    { capability: "environment:manage", revalidate: "/" },
  );
}

const TOO_BIG = "At most 5 MB of .env text";

const importInput = z.object({
  environmentId: z.uuid("Unknown environment"),
  // At most 5 MB of UTF-8 (a string has at most as many UTF-16 units as bytes, so the first check is cheap).
  text: safeString(DOTENV_IMPORT_MAX_BYTES, "Paste a .env file or choose one", TOO_BIG)
    .min(1, "Paste a .env file or choose one")
    .refine((t) => Buffer.byteLength(t, "utf8") <= DOTENV_IMPORT_MAX_BYTES, TOO_BIG),
});

/** Dry run: what the import would do, line by line. Writes nothing and returns no values. */
export async function previewImportAction(org: string, input: { environmentId: string; text: string }) {
  return runAction(org, importInput, input, (tx, ctx, i) => previewImport(tx, ctx, i.environmentId, i.text), {
    capability: VALUE_WRITE,
  });
}

export async function applyImportAction(
  org: string,
  input: { environmentId: string; text: string; expected: Record<string, number>; note?: string },
) {
  const schema = importInput.extend({
    expected: z.record(safeString(255), versionNumber()),
    note: optionalText(400),
  });
  return runAction(org, schema, input, (tx, ctx, i) => applyImport(tx, ctx, i), {
    capability: VALUE_WRITE,
    revalidate: "/",
  });
}
