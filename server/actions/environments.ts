"use server";

import { z } from "zod";
import { VALUE_WRITE } from "@/lib/declared";
import { DOTENV_IMPORT_MAX_BYTES } from "@/lib/limits";
import { environmentInput } from "@/lib/validation/environments";
import { optionalText, safeString, versionNumber } from "@/lib/validation/fields";
import { orgAction } from "@/server/entry/action";
import { createEnvironment, updateEnvironment } from "@/server/environments/environments";
import { applyImport, previewImport } from "@/server/values/dotenv-import";

export const createEnvironmentAction = orgAction({
  call: "form",
  input: environmentInput,
  capability: "environment:manage",
  revalidate: "/",
  run: (tx, ctx, input) => createEnvironment(tx, ctx, input),
});

export const updateEnvironmentAction = orgAction({
  call: "form",
  input: z
    .object({ id: z.uuid(), version: versionNumber(1), reason: optionalText(1000) })
    .and(environmentInput),
  capability: "environment:manage",
  revalidate: "/",
  run: (tx, ctx, { id, version, reason, ...input }) =>
    updateEnvironment(tx, ctx, id, version, input, { reason }),
});

const TOO_BIG = "At most 5 MB of .env text";

const importInput = z.object({
  environmentId: z.uuid("Unknown environment"),
  // At most 5 MB of UTF-8 (a string has at most as many UTF-16 units as bytes, so the first check is cheap).
  text: safeString(DOTENV_IMPORT_MAX_BYTES, "Paste a .env file or choose one", TOO_BIG)
    .min(1, "Paste a .env file or choose one")
    .refine((t) => Buffer.byteLength(t, "utf8") <= DOTENV_IMPORT_MAX_BYTES, TOO_BIG),
});

/** Dry run: what the import would do, line by line. Writes nothing and returns no values. */
export const previewImportAction = orgAction({
  call: "input",
  input: importInput,
  capability: VALUE_WRITE,
  run: (tx, ctx, i) => previewImport(tx, ctx, i.environmentId, i.text),
});

export const applyImportAction = orgAction({
  call: "input",
  input: importInput.extend({
    expected: z.record(safeString(255), versionNumber()),
    note: optionalText(400),
  }),
  capability: VALUE_WRITE,
  revalidate: "/",
  run: (tx, ctx, i) => applyImport(tx, ctx, i),
});
