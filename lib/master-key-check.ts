/**
 * Whether the master key a server starts with is the one its database's key material was made with (issue 12,
 * finding 5): otherwise every reveal would fail later. Decided from what `master_key_check()` (migration 0025)
 * reports; the messages name fingerprints, never the key.
 */
export type MasterKeyStatus = {
  /** Some non-revoked encryption key was wrapped by this master key. */
  matchingKeys: boolean;
  /** Fingerprints of the master keys that wrapped the other non-revoked encryption keys. */
  otherFingerprints: string[];
  /** The job runner's verifier (migration 0021) against this key's proof. */
  verifier: "match" | "mismatch" | "absent";
};

const START_WITH =
  "Start Ringbearer with the master key this database was created with (RINGBEARER_MASTER_KEY, or .data/secrets.json " +
  "for the embedded database); values cannot be decrypted with another. During a master-key rotation, give the old " +
  "key as RINGBEARER_MASTER_KEY_PREVIOUS.";

/**
 * The reason to refuse, or null. `migrating`: the caller is about to migrate, which registers this key's
 * verifier again — accepted only when the encryption keys prove the key (a stale registration, e.g. by an
 * earlier start with a wrong key).
 */
export function masterKeyProblem(
  status: MasterKeyStatus,
  fingerprint: string,
  opts: { migrating: boolean },
): string | null {
  if (status.otherFingerprints.length > 0) {
    const which = status.otherFingerprints.join(", ");
    const some = status.matchingKeys ? "some of its encryption keys" : "its encryption keys";
    return (
      `RINGBEARER_MASTER_KEY does not match this database: ${some} were wrapped by the master key with ` +
      `fingerprint ${which}, and this key's fingerprint is ${fingerprint}. ${START_WITH}`
    );
  }
  if (status.verifier === "mismatch" && !(opts.migrating && status.matchingKeys)) {
    return status.matchingKeys
      ? `RINGBEARER_MASTER_KEY does not match the job runner's key registered in this database (job_runner_keys), ` +
          `though its encryption keys match this key (fingerprint ${fingerprint}): the registration is stale. ` +
          "Run `npm run db:migrate` once with this key to register it again."
      : `RINGBEARER_MASTER_KEY does not match this database: the job runner's key registered in it (job_runner_keys) ` +
          `was made from another master key than this one (fingerprint ${fingerprint}). ${START_WITH}`;
  }
  return null;
}
