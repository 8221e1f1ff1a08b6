import { z } from "zod";

/** A data-key version's id: `data:<organization id>:<version>`. */
export const dataKeyId = z
  .string()
  .regex(/^data:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}:[1-9]\d{0,8}$/, {
    error: "Not a data-key version of this organization",
  });

export const keyRef = z.object({ keyId: dataKeyId });

/** The key settings form: the oldest version that may decrypt, and the rotation interval (empty: none). */
export const keyPolicyInput = z.object({
  minDecryptionVersion: z.coerce
    .number({ error: "Enter a version number" })
    .int("Enter a whole version number")
    .min(1, "Versions start at 1")
    .max(1_000_000, "No organization has that many versions"),
  dataKeyRotationDays: z.preprocess(
    (v) => (v === "" || v === undefined || v === null ? null : v),
    z.coerce
      .number({ error: "Enter a number of days, or leave it empty" })
      .int("Enter whole days")
      .min(1, "At least 1 day")
      .max(3650, "At most 3650 days (ten years)")
      .nullable(),
  ),
});
export type KeyPolicyInput = z.infer<typeof keyPolicyInput>;
