import { z } from "zod";

const text = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .optional()
    .transform((v) => v || undefined);
const day = z
  .string()
  .trim()
  .regex(/^\d{4}-\d{2}-\d{2}$/, "Use YYYY-MM-DD")
  .optional()
  .or(z.literal("").transform(() => undefined));

/** Audit explorer filters, as they arrive in the URL. Unknown values are refused, not ignored. */
export const auditFilters = z
  .object({
    user: text(320),
    action: z
      .enum([
        "create",
        "read",
        "update",
        "delete",
        "rotate",
        "decrypt",
        "sync",
        "restore",
        "login",
        "logout",
        "export",
        "import",
        "promote",
      ])
      .optional()
      .or(z.literal("").transform(() => undefined)),
    resource: z
      .enum([
        "variable",
        "value",
        "permission",
        "environment",
        "organization",
        "session",
        "settings",
        "member",
      ])
      .optional()
      .or(z.literal("").transform(() => undefined)),
    variable: text(255),
    environment: text(100),
    risk: z
      .enum(["LOW", "MEDIUM", "HIGH", "CRITICAL"])
      .optional()
      .or(z.literal("").transform(() => undefined)),
    emergency: z
      .enum(["true", ""])
      .optional()
      .transform((v) => v === "true"),
    from: day,
    to: day,
    before: z.coerce.number().int().positive().optional(),
  })
  .refine((f) => !f.from || !f.to || f.from <= f.to, { path: ["to"], message: "Must be on or after From" });

export type AuditFilters = z.infer<typeof auditFilters>;
