import { z } from "zod";
import { checkbox, optionalText } from "./fields";

/** A sync target as the form sends it; the secret is optional (the console generates one if absent). */
export const targetInput = z
  .object({
    environmentId: z.uuid("Choose the environment"),
    name: z.preprocess(
      (v) => (typeof v === "string" ? v.trim() : v),
      z
        .string({ error: "Name is required" })
        .min(1, "Name is required")
        .max(100, "At most 100 characters")
        .regex(/^[a-z][a-z0-9_-]*$/, "Use lower case letters, digits, - or _ (e.g. web-1)"),
    ),
    kind: z.enum(["dotenv_file", "http"], { error: "Choose a kind of target" }),
    location: z.preprocess(
      (v) => (typeof v === "string" ? v.trim() : v),
      z.string({ error: "Where is it?" }).min(1, "Where is it?").max(2000, "At most 2,000 characters"),
    ),
    secret: optionalText(500).refine(
      (v) => v === undefined || v.length >= 32,
      "A shared secret has at least 32 characters (leave it empty to generate one)",
    ),
    deleteUnmanaged: checkbox,
    scanIntervalMinutes: z.coerce
      .number({ error: "Minutes between scans" })
      .int("Whole minutes")
      .min(1, "At least every 1440 minutes, at most every minute")
      .max(1440, "At least once a day (1440 minutes)"),
  })
  .superRefine((t, ctx) => {
    if (t.kind === "http" && /^https?:\/\/[^/]*@/.test(t.location))
      ctx.addIssue({
        code: "custom",
        path: ["location"],
        message: "Leave credentials out of the URL: the shared secret authenticates the console",
      });
    else if (t.kind === "http" && !/^https?:\/\/[^\s/]+(\/[^\s]*)?$/.test(t.location))
      ctx.addIssue({
        code: "custom",
        path: ["location"],
        message: "Enter the receiver's http(s) URL, e.g. http://10.0.0.5:4400",
      });
    if (t.kind === "dotenv_file" && !/^[A-Za-z0-9_./-]+$/.test(t.location))
      ctx.addIssue({
        code: "custom",
        path: ["location"],
        message: "A path under the server's target folder, e.g. web/production.env",
      });
  });

export type TargetInput = z.infer<typeof targetInput>;
