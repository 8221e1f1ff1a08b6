import type { EnvironmentRef } from "@/db/repos/grants";
import type { VariableRow } from "@/db/repos/variable-rows";
import type { ChangeSource } from "@/server/approvals/change-request-open";

/** The types of the one value write path (value-writes.ts), apart so that its gate needs no import of it. */
export type WritableVariable = Pick<
  VariableRow,
  | "id"
  | "name"
  | "variableType"
  | "validationPattern"
  | "tags"
  | "securityClassification"
  | "isWeddingCritical"
>;

export type ValueWrite = {
  variable: WritableVariable;
  /** The new value, or null to delete the value. */
  value: string | null;
  /** The version the writer saw; 0 = not set yet. Anything else is a conflict, never an overwrite. */
  expectedVersion: number;
  note?: string;
};

export type TargetEnvironment = EnvironmentRef & { isActive: boolean };

/** An approved change request applying in this transaction: the gate verifies it, never trusts it. */
export type CarriedApproval = { requestId: string };

export type WriteOptions = {
  /** The form field an error about one write belongs to (`value` for one editor, the key for a batch). */
  fieldFor?: (w: ValueWrite) => string;
  /** Why: required (≥ 10 characters) when the batch needs approval; it becomes the request's reason. */
  reason?: string;
  /** The form field that holds the reason. */
  reasonField?: string;
  source?: ChangeSource;
  /**
   * The change request this batch applies. The gate reads it and admits the batch only if the request is in this
   * organization, approved by the caller in this transaction, not theirs, not expired, and covers exactly these
   * writes (each value being the one approved); the writes then carry the request's own ciphertext.
   */
  approval?: CarriedApproval;
};
