import { z } from "zod";
import { safeString } from "../validation/fields";

/**
 * Seed 002's mapping, filter and transform rules as data a person can check: each rule names fields by path
 * (`customer.email`), with a fixed set of operators — never code or a regular expression run on the server.
 */
const fieldPath = safeString(120, "Name a field").regex(
  /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*){0,4}$/,
  "A field is a name or a dotted path such as customer.email",
);

/** Where a provider's field lands in the supplier's system (and back). */
export const mappingRules = z
  .array(z.object({ from: fieldPath, to: fieldPath }))
  .max(200, "At most 200 mappings")
  .superRefine((rules, ctx) => {
    const seen = new Set<string>();
    rules.forEach((r, i) => {
      if (seen.has(r.to))
        ctx.addIssue({ code: "custom", path: [i, "to"], message: `${r.to} is mapped twice` });
      seen.add(r.to);
    });
  });

/** Which records sync: every rule must hold. `in` takes a list; `exists` no value. */
export const filterRules = z
  .array(
    z.discriminatedUnion(
      "op",
      [
        z.object({ field: fieldPath, op: z.literal("eq"), value: safeString(200) }),
        z.object({ field: fieldPath, op: z.literal("neq"), value: safeString(200) }),
        z.object({ field: fieldPath, op: z.literal("in"), value: z.array(safeString(200)).min(1).max(50) }),
        z.object({ field: fieldPath, op: z.literal("exists") }),
      ],
      { error: "A filter is eq, neq, in or exists" },
    ),
  )
  .max(50, "At most 50 filters");

/** How a field's value is changed on the way: a fixed set of operations. */
export const transformRules = z
  .array(
    z.discriminatedUnion(
      "op",
      [
        z.object({ field: fieldPath, op: z.literal("trim") }),
        z.object({ field: fieldPath, op: z.literal("lowercase") }),
        z.object({ field: fieldPath, op: z.literal("uppercase") }),
        z.object({ field: fieldPath, op: z.literal("prefix"), value: safeString(50) }),
        z.object({ field: fieldPath, op: z.literal("suffix"), value: safeString(50) }),
        z.object({ field: fieldPath, op: z.literal("cents_to_units") }),
      ],
      { error: "A transform is trim, lowercase, uppercase, prefix, suffix or cents_to_units" },
    ),
  )
  .max(50, "At most 50 transforms");
