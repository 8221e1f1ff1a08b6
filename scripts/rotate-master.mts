/**
 * `npm run keys:rotate-master` — master-key (KEK) rotation (docs/operations.md, "Rotating the master key").
 * Rewraps every key the master key wraps (organizations' data and HMAC keys, installation keys, TOTP seeds) from
 * the previous master key to the current one; values are not touched, and a run that stops is finished by the
 * next. Then lists what is still wrapped by another key.
 *
 *   With DATABASE_URL: RINGBEARER_MASTER_KEY is the new key, RINGBEARER_MASTER_KEY_PREVIOUS the old one (give
 *   servers both first). `--new-key` prints a new random key to use.
 *   Embedded (.data/secrets.json): the first run writes a new key into the file and keeps the old one as
 *   previousMasterKey; if `npm start` is running, restart it (it then holds both) and run this again.
 *
 *   --check   what is still wrapped by a key other than the current one (exit 1 when anything is)
 *   --finish  after a clean check: drops previousMasterKey from the key file (embedded), or says the
 *             variable may now be unset
 */
import { randomBytes } from "node:crypto";
import { readFile, rename, writeFile } from "node:fs/promises";
import path from "node:path";
import { type MasterLeftovers, masterLeftovers, rewrapMasterKeys } from "@/db/master-rotation";
import { keyFingerprint, parseMasterKey } from "@/lib/crypto";
import { databaseTarget } from "./database-target.mts";
import type { LocalSecrets } from "./local-db.mts";

const log = (m: string) => console.log(`[keys] ${m}`);
const args = process.argv.slice(2);
const mode = args[0] ?? "rotate";
if (args.length > 1 || !["rotate", "--check", "--finish", "--new-key"].includes(mode)) {
  console.error("usage: npm run keys:rotate-master [-- --check | --finish | --new-key]");
  process.exit(2);
}
if (mode === "--new-key") {
  console.log(randomBytes(32).toString("base64"));
  process.exit(0);
}

const embedded = !process.env.DATABASE_URL;
const keyFile = path.join(path.resolve(process.env.RINGBEARER_DATA_DIR ?? ".data"), "secrets.json");

async function readKeyFile(): Promise<LocalSecrets> {
  return JSON.parse(await readFile(keyFile, "utf8")) as LocalSecrets;
}

/** Replaces the key file in one rename (never half-written), mode 0600. */
async function writeKeyFile(secrets: LocalSecrets) {
  const next = `${keyFile}.next`;
  await writeFile(next, `${JSON.stringify(secrets, null, 2)}\n`, { mode: 0o600 });
  await rename(next, keyFile);
}

function describeLeftovers(left: MasterLeftovers, current: string): number {
  for (const k of left.keys)
    log(
      `still wrapped by ${k.fingerprint}: ${k.organizationId ? `organization ${k.organizationId} key ` : ""}${k.keyId}`,
    );
  for (const id of left.totpSeeds) log(`TOTP seed of user ${id} is not sealed by the current key`);
  if (left.jobRunner) log("the job runner's registration is not the current key's");
  const n = left.keys.length + left.totpSeeds.length + (left.jobRunner ? 1 : 0);
  log(n === 0 ? `Nothing is wrapped by a master key other than the current one (${current}).` : `${n} left.`);
  return n;
}

try {
  let wroteNewKey = false;
  if (embedded && mode === "rotate") {
    const secrets = await readKeyFile().catch(() => {
      throw new Error(`no key file at ${keyFile}: start Ringbearer once (npm start) to create the database`);
    });
    if (!secrets.previousMasterKey) {
      const fresh = randomBytes(32).toString("base64");
      await writeKeyFile({ ...secrets, masterKey: fresh, previousMasterKey: secrets.masterKey });
      wroteNewKey = true;
      log(
        `New master key ${keyFingerprint(parseMasterKey(fresh))} written to ${keyFile}; ` +
          `the previous one (${keyFingerprint(parseMasterKey(secrets.masterKey))}) is kept beside it until --finish.`,
      );
    }
  }
  const target = await databaseTarget(log);
  try {
    const file = embedded ? await readKeyFile() : undefined;
    const currentRaw = embedded ? file?.masterKey : process.env.RINGBEARER_MASTER_KEY;
    const previousRaw = embedded ? file?.previousMasterKey : process.env.RINGBEARER_MASTER_KEY_PREVIOUS;
    if (!currentRaw) throw new Error("RINGBEARER_MASTER_KEY is not set");
    const current = parseMasterKey(currentRaw);
    const fingerprint = keyFingerprint(current);
    if (mode === "rotate") {
      if (!previousRaw?.trim())
        throw new Error(
          "RINGBEARER_MASTER_KEY_PREVIOUS is not set. To rotate: make a new key (npm run keys:rotate-master -- " +
            "--new-key), give every server RINGBEARER_MASTER_KEY=<new> and RINGBEARER_MASTER_KEY_PREVIOUS=<old> and " +
            "restart them, then run this with the same two variables.",
        );
      if (wroteNewKey && target.describe.endsWith("running"))
        throw new Error(
          "the embedded database is in use by a running `npm start`, which holds only the old key: " +
            "restart it (it reads both keys from the key file), then run this again to rewrap",
        );
      await rewrapMasterKeys(target.ownerUrl, { current, previous: parseMasterKey(previousRaw) }, log);
    }
    const left = describeLeftovers(await masterLeftovers(target.ownerUrl, current), fingerprint);
    if (left > 0) process.exitCode = 1;
    else if (mode === "--finish" && embedded && file?.previousMasterKey) {
      const { previousMasterKey: dropped, ...rest } = file;
      await writeKeyFile(rest);
      log(`Dropped the previous master key (${keyFingerprint(parseMasterKey(dropped))}) from ${keyFile}.`);
    } else if (mode === "--finish" || (mode === "rotate" && previousRaw)) {
      log(
        embedded
          ? "Run `npm run keys:rotate-master -- --finish` to drop the previous key from the key file " +
              "(keep a copy with backups made before now: they need it)."
          : "RINGBEARER_MASTER_KEY_PREVIOUS may now be unset on every server (keep the old key with backups " +
              "made before now: they need it).",
      );
    }
  } finally {
    await target.close();
  }
} catch (error) {
  console.error(`[keys] ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
}
