import postgres from "postgres";
import { jobRunnerProof, keyFingerprint } from "@/lib/crypto";
import { type MasterKeyStatus, masterKeyProblem } from "@/lib/master-key-check";

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
 * without the check (not migrated to this version) is a problem too — the server does not migrate.
 */
export async function masterKeyMismatch(
  databaseUrl: string,
  kek: Buffer,
  opts: { migrating: boolean; requireCheck: boolean },
): Promise<string | null> {
  const status = await masterKeyStatus(databaseUrl, kek);
  if (!status)
    return opts.requireCheck
      ? "the database is not migrated to this version of Ringbearer: run `npm run db:migrate` (or `npm start`)"
      : null;
  return masterKeyProblem(status, keyFingerprint(kek), opts);
}
