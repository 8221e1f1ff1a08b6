/**
 * The CLI's offline snapshot: after every successful read, `run` keeps the environment's values encrypted
 * (AES-256-GCM under a key derived from the token with HKDF; never plaintext on disk), in a file only its owner
 * may read (0600, in a 0700 folder). The file's name is an HMAC of the console's address and the environment
 * under that key, so it names neither, and another token cannot find or open it.
 */
import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from "node:crypto";
import { chmodSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";

const keyOf = (token, purpose) =>
  Buffer.from(hkdfSync("sha256", token, "ringbearer-cli-snapshot", `ringbearer:cli:${purpose}:v1`, 32));

/** The folder snapshots live in: RINGBEARER_CACHE_DIR, or $XDG_CACHE_HOME/ringbearer, or ~/.cache/ringbearer. */
export function snapshotDir(env = process.env) {
  if (env.RINGBEARER_CACHE_DIR) return env.RINGBEARER_CACHE_DIR;
  return join(env.XDG_CACHE_HOME || join(homedir(), ".cache"), "ringbearer");
}

function snapshotPath(token, url, environment, env) {
  const name = createHmac("sha256", keyOf(token, "name")).update(`${url}\n${environment}`).digest("hex");
  return join(snapshotDir(env), `${name.slice(0, 32)}.snapshot`);
}

/** Keeps `values` (an object of strings) for this console, environment and token. */
export function saveSnapshot({ token, url, environment, values, env = process.env }) {
  const dir = snapshotDir(env);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  chmodSync(dir, 0o700);
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", keyOf(token, "data"), iv);
  cipher.setAAD(Buffer.from(`${url}\n${environment}`));
  const plain = Buffer.from(JSON.stringify({ savedAt: Date.now(), values }));
  const sealed = Buffer.concat([iv, cipher.update(plain), cipher.final(), cipher.getAuthTag()]);
  plain.fill(0);
  const path = snapshotPath(token, url, environment, env);
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, sealed, { mode: 0o600 });
  renameSync(temporary, path);
  return path;
}

/** The snapshot for this console, environment and token: `{ savedAt, values }`, or null (none, or not ours). */
export function loadSnapshot({ token, url, environment, env = process.env }) {
  let sealed;
  try {
    sealed = readFileSync(snapshotPath(token, url, environment, env));
  } catch {
    return null;
  }
  if (sealed.length < 12 + 16) return null;
  try {
    const decipher = createDecipheriv("aes-256-gcm", keyOf(token, "data"), sealed.subarray(0, 12));
    decipher.setAAD(Buffer.from(`${url}\n${environment}`));
    decipher.setAuthTag(sealed.subarray(sealed.length - 16));
    const plain = Buffer.concat([decipher.update(sealed.subarray(12, sealed.length - 16)), decipher.final()]);
    const parsed = JSON.parse(plain.toString("utf8"));
    return typeof parsed?.savedAt === "number" && parsed.values && typeof parsed.values === "object"
      ? parsed
      : null;
  } catch {
    return null;
  }
}
