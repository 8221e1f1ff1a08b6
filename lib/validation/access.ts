import { z } from "zod";
import { ROLES } from "../roles";
import { optionalText } from "./fields";

const TAG = /^[a-z0-9][a-z0-9_.-]*$/;

/** A grant from the Access page: to a user (by email) or a role; over all, one variable, or a tag. */
export const policyInput = z
  .object({
    subject: z.enum(["user", "role"], { error: "Choose a user or a role" }),
    email: optionalText(320),
    role: z
      .enum(ROLES)
      .optional()
      .or(z.literal("").transform(() => undefined)),
    permission: z.enum(["read", "write", "admin", "emergency"], { error: "Choose a permission" }),
    scope: z.enum(["all", "variable", "tag"], { error: "Choose a scope" }),
    variable: optionalText(255),
    tag: optionalText(50).refine((t) => t === undefined || TAG.test(t), "Tags use a-z, 0-9, _ . -"),
    environments: z.preprocess(
      (v) => (typeof v === "string" ? v : Array.isArray(v) ? v.join(",") : ""),
      z
        .string()
        .transform((s) => [
          ...new Set(
            s
              .split(",")
              .map((e) => e.trim())
              .filter(Boolean),
          ),
        ])
        .pipe(z.array(z.string().regex(/^[a-z][a-z0-9_-]*$/, "Environment names are lower case")).max(50)),
    ),
    expiresAt: z
      .string()
      .trim()
      .regex(/^\d{4}-\d{2}-\d{2}$/, "Use YYYY-MM-DD")
      .optional()
      .or(z.literal("").transform(() => undefined)),
  })
  .superRefine((p, ctx) => {
    if (p.subject === "user" && !p.email)
      ctx.addIssue({ code: "custom", path: ["email"], message: "Enter the user's email" });
    if (p.subject === "role" && !p.role)
      ctx.addIssue({ code: "custom", path: ["role"], message: "Choose a role" });
    if (p.scope === "variable" && !p.variable)
      ctx.addIssue({ code: "custom", path: ["variable"], message: "Enter the variable's name" });
    if (p.scope === "tag" && !p.tag)
      ctx.addIssue({ code: "custom", path: ["tag"], message: "Enter the tag" });
    if (p.expiresAt && p.expiresAt <= new Date().toISOString().slice(0, 10))
      ctx.addIssue({ code: "custom", path: ["expiresAt"], message: "Must be in the future" });
  });

export type PolicyInput = z.infer<typeof policyInput>;
