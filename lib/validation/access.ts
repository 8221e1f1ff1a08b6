import { z } from "zod";
import { todayIn } from "../format";
import { ROLES } from "../roles";
import type { TimeRestriction } from "../time-restrictions";
import { isCalendarDay } from "./dates";
import { optionalText, safeString } from "./fields";

const TAG = /^[a-z0-9][a-z0-9_.-]*$/;

/** "1,2,3" (the form's hidden field) or [1, 2, 3]: ISO days, 1 = Monday … 7 = Sunday, sorted, no repeats. */
const days = z.preprocess(
  (v) => (typeof v === "string" ? v : Array.isArray(v) ? v.join(",") : ""),
  safeString(100)
    .transform((s) =>
      s
        .split(",")
        .map((d) => d.trim())
        .filter(Boolean),
    )
    .pipe(z.array(z.string().regex(/^[1-7]$/, "Days are 1 (Monday) to 7 (Sunday)")))
    .transform((list) => [...new Set(list.map(Number))].sort((a, b) => a - b)),
);

/** A local time "HH:MM" (00:00–23:59); empty means not set. */
const localTime = safeString(10)
  .trim()
  .regex(/^([01]\d|2[0-3]):[0-5]\d$/, "Use HH:MM between 00:00 and 23:59")
  .optional()
  .or(z.literal("").transform(() => undefined));

/** What is stored in time_restrictions: {} for always; all seven days without times is always too. */
export function toTimeRestriction(p: { days: number[]; from?: string; to?: string }): TimeRestriction {
  const timed = p.from !== undefined && p.to !== undefined;
  if (!timed && (p.days.length === 0 || p.days.length === 7)) return {};
  return {
    ...(p.days.length > 0 && p.days.length < 7 ? { days: p.days } : {}),
    ...(timed ? { from: p.from, to: p.to } : {}),
  };
}

const envName = safeString(100).regex(/^[a-z][a-z0-9_-]*$/, "Environment names are lower case");
const roleField = z
  .enum(ROLES)
  .optional()
  .or(z.literal("").transform(() => undefined));
const tagField = optionalText(50).refine((t) => t === undefined || TAG.test(t), "Tags use a-z, 0-9, _ . -");

/** The rules a grant's subject and scope follow, in the form and in the stored command alike. */
function grantRules(
  p: { subject: string; email?: string; role?: string; scope: string; variable?: string; tag?: string },
  ctx: z.RefinementCtx,
) {
  if (p.subject === "user" && !p.email)
    ctx.addIssue({ code: "custom", path: ["email"], message: "Enter the user's email" });
  if (p.subject === "role" && !p.role)
    ctx.addIssue({ code: "custom", path: ["role"], message: "Choose a role" });
  if (p.scope === "variable" && !p.variable)
    ctx.addIssue({ code: "custom", path: ["variable"], message: "Enter the variable's name" });
  if (p.scope === "tag" && !p.tag) ctx.addIssue({ code: "custom", path: ["tag"], message: "Enter the tag" });
}

const grantFields = {
  subject: z.enum(["user", "role"], { error: "Choose a user or a role" }),
  email: optionalText(320),
  role: roleField,
  permission: z.enum(["read", "write", "admin", "emergency"], { error: "Choose a permission" }),
  scope: z.enum(["all", "variable", "tag"], { error: "Choose a scope" }),
  variable: optionalText(255),
  tag: tagField,
};

/**
 * A grant as grantPolicy takes it (and as a change request keeps it): the form below ends in this schema, and an
 * approved request's stored grant is checked with it again before it is applied.
 */
export const policyGrant = z
  .object({
    subject: grantFields.subject,
    email: safeString(320).min(1).optional(),
    role: z.enum(ROLES).optional(),
    permission: grantFields.permission,
    scope: grantFields.scope,
    variable: safeString(255).min(1).optional(),
    tag: safeString(50).regex(TAG, "Tags use a-z, 0-9, _ . -").optional(),
    environments: z.array(envName).max(50),
    expiresAt: safeString(10).refine(isCalendarDay, "Use a real date, YYYY-MM-DD").optional(),
    timeRestriction: z.object({
      days: z.array(z.number().int().min(1).max(7)).max(7).optional(),
      from: safeString(5)
        .regex(/^([01]\d|2[0-3]):[0-5]\d$/)
        .optional(),
      to: safeString(5)
        .regex(/^([01]\d|2[0-3]):[0-5]\d$/)
        .optional(),
    }),
  })
  .superRefine(grantRules);

/** A grant from the Access page: to a user (by email) or a role; over all, one variable, or a tag. */
export const policyInput = z
  .object({
    ...grantFields,
    environments: z.preprocess(
      (v) => (typeof v === "string" ? v : Array.isArray(v) ? v.join(",") : ""),
      safeString(5100)
        .transform((s) => [
          ...new Set(
            s
              .split(",")
              .map((e) => e.trim())
              .filter(Boolean),
          ),
        ])
        .pipe(z.array(envName).max(50)),
    ),
    expiresAt: safeString(10)
      .trim()
      .refine(isCalendarDay, "Use a real date, YYYY-MM-DD")
      .optional()
      .or(z.literal("").transform(() => undefined)),
    days,
    from: localTime,
    to: localTime,
  })
  .superRefine((p, ctx) => {
    if (p.from !== undefined && p.to === undefined)
      ctx.addIssue({ code: "custom", path: ["to"], message: "Set the end time too, or neither" });
    if (p.to !== undefined && p.from === undefined)
      ctx.addIssue({ code: "custom", path: ["from"], message: "Set the start time too, or neither" });
    if (p.from !== undefined && p.from === p.to)
      ctx.addIssue({
        code: "custom",
        path: ["to"],
        message: "Must differ from the start (an end before the start runs overnight)",
      });
    if ((p.from !== undefined || p.to !== undefined) && p.days.length === 0)
      ctx.addIssue({ code: "custom", path: ["days"], message: "Choose at least one day" });
    grantRules(p, ctx);
    // Whether the day is still ahead depends on the organization's zone (grantPolicy checks that); a day
    // that is over even where today began last (UTC−12) is refused here already.
    if (p.expiresAt && p.expiresAt <= todayIn(new Date(), "Etc/GMT+12"))
      ctx.addIssue({ code: "custom", path: ["expiresAt"], message: "Must be in the future" });
  })
  .transform(({ days, from, to, ...p }) => ({
    ...p,
    timeRestriction: toTimeRestriction({ days, from, to }),
  }))
  .pipe(policyGrant);

export type PolicyInput = z.infer<typeof policyInput>;

/** A change of a member's role, in the form and in a change request alike. */
export const roleChange = z.object({ userId: z.uuid(), role: z.enum(ROLES, { error: "Choose a role" }) });
