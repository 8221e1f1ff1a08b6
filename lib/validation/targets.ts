import { z } from "zod";
import { fileLocationProblem } from "@/lib/targets/location";
import { checkbox, optionalText, safeString, versionNumber } from "./fields";

const trimmed = (v: unknown) => (typeof v === "string" ? v.trim() : v);

const targetFields = z.object({
  environmentId: z.uuid("Choose the environment"),
  name: z.preprocess(
    trimmed,
    safeString(100, "Name is required")
      .min(1, "Name is required")
      .regex(/^[a-z][a-z0-9_-]*$/, "Use lower case letters, digits, - or _ (e.g. web-1)"),
  ),
  kind: z.enum(["dotenv_file", "http"], { error: "Choose a kind of target" }),
  location: z.preprocess(trimmed, safeString(2000, "Where is it?").min(1, "Where is it?")),
  secret: optionalText(500).refine(
    (v) => v === undefined || v.length >= 32,
    "A shared secret has at least 32 characters (leave it empty to generate one)",
  ),
  deleteUnmanaged: checkbox,
  autoPush: checkbox,
  scanIntervalMinutes: z.coerce
    .number({ error: "Minutes between scans" })
    .int("Whole minutes")
    .min(1, "At least every 1440 minutes, at most every minute")
    .max(1440, "At least once a day (1440 minutes)"),
});

/**
 * The location must suit the kind: a receiver's URL without credentials, or a relative path inside the
 * organization's own target folder, spelled with the strict allow-list of lib/targets/location.ts.
 */
function checkLocation(t: { kind: "dotenv_file" | "http"; location: string }, ctx: z.RefinementCtx) {
  const issue = (message: string) => ctx.addIssue({ code: "custom", path: ["location"], message });
  if (t.kind === "http" && /^https?:\/\/[^/]*@/.test(t.location))
    issue("Leave credentials out of the URL: the shared secret authenticates the console");
  else if (t.kind === "http" && !/^https?:\/\/[^\s/]+(\/[^\s]*)?$/.test(t.location))
    issue("Enter the receiver's http(s) URL, e.g. https://deploy.example.com:4400");
  const problem = t.kind === "dotenv_file" ? fileLocationProblem(t.location) : null;
  if (problem) issue(problem);
}

/** A sync target as the form sends it; the secret is optional (the console generates one if absent). */
export const targetInput = targetFields.superRefine(checkLocation);
export type TargetInput = z.infer<typeof targetInput>;

/** A new target as a change request keeps it: the form's fields without the secret (it waits sealed). */
export const targetCreation = targetFields.omit({ secret: true }).superRefine(checkLocation);

/** A target's settings; its environment and kind stay as they were (the kind is sent to check the location). */
export const targetSettings = targetFields
  .omit({ environmentId: true, secret: true })
  .extend({ id: z.uuid("Unknown target"), version: versionNumber(1) })
  .superRefine(checkLocation);
export type TargetSettings = z.infer<typeof targetSettings>;

/** A new shared secret: given (at least 32 characters) or, left empty, generated and shown once. */
export const targetSecret = z.object({
  id: z.uuid("Unknown target"),
  secret: targetFields.shape.secret,
});
