import postgres from "postgres";
import { jobRunnerProof, keyFingerprint } from "@/lib/crypto";
import { type MasterKeyStatus, masterKeyProblem } from "@/lib/master-key-check";
import type { Keyring } from "./vault";

/**
 * What the database says of this master key (`master_key_check()`, migration 0025, as the app role), or null
 * when the database has no such function yet (not migrated to this version).
 */
export async function masterKeyStatus(databaseUrl: string, kek: Buffer): Promise<MasterKeyStatus | null> {
  const sql = postgres(databaseUrl, { max: 1, onnotice: () => {}, connect_timeout: 10 });
  try {
    const [row] = await sql<{ matching_keys: boolean; other_fingerprints: string[]; verifier: string }[]>`
      select matching_keys, other_fingerprints, verifier
        from master_key_check(${keyFingerprint(kek)}, ${jobRunnerProof(kek)})`;
    return {
      matchingKeys: row.matching_keys,
      otherFingerprints: row.other_fingerprints,
      verifier: row.verifier as MasterKeyStatus["verifier"],
    };
  } catch (error) {
    if ((error as { code?: string }).code === "42883") return null; // undefined_function
    throw error;
  } finally {
    await sql.end({ timeout: 5 });
  }
}

/**
 * The problem with this master key for this database, or null when it matches. `requireCheck`: a database
 * without the check (not migrated to this version) is a problem too — the server does not migrate. During a
 * master-key rotation the ring's previous key is accepted too: what it wraps is not "another" key's.
 */
export async function masterKeyMismatch(
  databaseUrl: string,
  ring: Keyring | Buffer,
  opts: { migrating: boolean; requireCheck: boolean },
): Promise<string | null> {
  const { current, previous } = Buffer.isBuffer(ring) ? { current: ring, previous: undefined } : ring;
  const status = await masterKeyStatus(databaseUrl, current);
  if (!status)
    return opts.requireCheck
      ? "the database is not migrated to this version of Ringbearer: run `npm run db:migrate` (or `npm start`)"
      : null;
  if (previous) {
    const before = keyFingerprint(previous);
    const old = await masterKeyStatus(databaseUrl, previous);
    status.matchingKeys ||= Boolean(old?.matchingKeys);
    status.otherFingerprints = status.otherFingerprints.filter((f) => f !== before);
  }
  return masterKeyProblem(status, keyFingerprint(current), opts);
}
