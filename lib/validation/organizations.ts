import { z } from "zod";
import { requiredText, safeString } from "./fields";

const zones = new Set(["UTC", ...Intl.supportedValuesOf("timeZone")]);
const timeZone = safeString(100).refine((tz) => zones.has(tz), "Choose a time zone from the list");
const password = safeString(1024, "Choose a password").min(12, "At least 12 characters");

/** A new organization: its name (its URL name follows from it) and its time zone. */
export const organizationInput = z.object({
  organization: requiredText(255, "The organization's name"),
  timeZone,
});

/** Open sign-up: the account, and the organization it owns. */
export const signUpInput = organizationInput
  .extend({
    email: safeString(320, "Your email")
      .trim()
      .toLowerCase()
      .pipe(z.email({ error: "Enter an email address" })),
    name: requiredText(255, "Your name"),
    password,
    confirm: safeString(1024, "Repeat the password"),
  })
  .refine((p) => p.password === p.confirm, { path: ["confirm"], message: "The passwords do not match" });
export type SignUpInput = z.infer<typeof signUpInput>;

/** Renaming: the display name only (the URL name stays, so links keep working). */
export const renameInput = z.object({ name: requiredText(255, "The organization's name") });

/** Handing the organization to another member, who becomes its owner (the caller becomes an admin). */
export const transferInput = z.object({
  userId: z.uuid({ error: "Choose a member of the organization" }),
  confirm: z.literal("transfer", { error: "Press Transfer ownership to confirm" }),
});

/** Deleting: the organization's URL name typed again. */
export const deleteInput = z.object({ confirm: safeString(63, "Type the organization's URL name").trim() });

/** Restoring a deleted organization (its id, from the caller's list of deleted ones). */
export const restoreInput = z.object({ id: z.uuid({ error: "Not one of your deleted organizations" }) });

/** Erasing one's own account: the e-mail address typed again. */
export const eraseAccountInput = z.object({ confirm: safeString(320, "Type your e-mail address").trim() });

/** A values export's passphrase (lib/export-seal.ts): typed twice in the console, checked once here. */
export const valuesExportInput = z.object({
  passphrase: safeString(1024, "Choose a passphrase").min(12, "At least 12 characters"),
});
