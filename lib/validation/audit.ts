import { z } from "zod";
import { AUDIT_ACTIONS, AUDIT_RESOURCES } from "../audit-vocabulary";
import { RISK_LEVELS } from "../risk";
import { optionalDay as day } from "./dates";
import { queryText as text } from "./fields";

/** Audit explorer filters, as they arrive in the URL. Unknown values are refused, not ignored. */
export const auditFilters = z
  .object({
    user: text(320),
    action: z
      .enum(AUDIT_ACTIONS)
      .optional()
      .or(z.literal("").transform(() => undefined)),
    resource: z
      .enum(AUDIT_RESOURCES)
      .optional()
      .or(z.literal("").transform(() => undefined)),
    variable: text(255),
    environment: text(100),
    risk: z
      .enum(RISK_LEVELS)
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
