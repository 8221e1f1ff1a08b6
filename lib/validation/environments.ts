import { z } from "zod";
import { ENVIRONMENT_TYPES } from "../roles";
import { checkbox, optionalText, requiredText, safeString } from "./fields";

export const environmentInput = z.object({
  name: z.preprocess(
    (v) => (typeof v === "string" ? v.trim() : v),
    safeString(100, "Name is required")
      .min(1, "Name is required")
      .regex(/^[a-z][a-z0-9_-]*$/, "Use lower case letters, digits, - or _ (e.g. qa)"),
  ),
  displayName: requiredText(255, "Display name"),
  description: optionalText(2000),
  environmentType: z.enum(ENVIRONMENT_TYPES, { error: "Choose a type" }),
  weddingDayProtection: checkbox,
  deploymentBranch: optionalText(255),
  deploymentUrl: optionalText(2000).refine(
    (v) => v === undefined || /^https?:\/\/[^\s]+$/.test(v),
    "Enter an http(s) URL, e.g. https://staging.example.com",
  ),
});
