/**
 * `ringbearer open-export FILE`: opens a values export sealed in the console (Settings → Export) and prints its
 * JSON. The format (`ringbearer.sealed-export/1`, docs/security.md): scrypt derives the key from the passphrase and
 * the file's salt; AES-256-GCM decrypts, with the file's header as additional data. The console seals
 * (lib/export-seal.ts); only this opens, so the two are checked against each other by the tests.
 */
import { createDecipheriv, scryptSync } from "node:crypto";
import { readFile } from "node:fs/promises";
import { CliError } from "./console.mjs";

const FORMAT = "ringbearer.sealed-export/1";

export async function openExportFile(file) {
  let sealed;
  try {
    sealed = JSON.parse(await readFile(file, "utf8"));
  } catch (error) {
    throw new CliError(`${file} cannot be read as JSON (${error.code ?? error.message})`);
  }
  if (sealed?.format !== FORMAT || sealed.kdf?.name !== "scrypt" || sealed.cipher !== "aes-256-gcm")
    throw new CliError(`${file} is not a sealed Ringbearer export`);
  const { N, r, p, salt } = sealed.kdf;
  if (![N, r, p].every(Number.isInteger) || N > 2 ** 20 || r > 32 || p > 16)
    throw new CliError(`${file}: its key parameters are out of range`);
  const passphrase = process.env.RINGBEARER_EXPORT_PASSPHRASE ?? (await askPassphrase());
  const key = scryptSync(passphrase.normalize("NFC"), Buffer.from(salt, "base64"), 32, {
    N,
    r,
    p,
    maxmem: 256 * 1024 * 1024,
  });
  const decipher = createDecipheriv("aes-256-gcm", key, Buffer.from(sealed.iv, "base64"));
  decipher.setAAD(Buffer.from(JSON.stringify([sealed.format, sealed.kdf, sealed.cipher, sealed.iv]), "utf8"));
  decipher.setAuthTag(Buffer.from(sealed.tag, "base64"));
  try {
    return Buffer.concat([
      decipher.update(Buffer.from(sealed.ciphertext, "base64")),
      decipher.final(),
    ]).toString("utf8");
  } catch {
    throw new CliError("the passphrase is wrong, or the file was changed");
  }
}

/** The passphrase: typed at a terminal (not shown), or the first line of stdin. */
async function askPassphrase() {
  const input = process.stdin;
  if (!input.isTTY) {
    let text = "";
    for await (const chunk of input) text += chunk;
    return text.split(/\r?\n/)[0];
  }
  process.stderr.write("Passphrase: ");
  input.setRawMode(true);
  input.setEncoding("utf8");
  return new Promise((resolve, reject) => {
    let typed = "";
    const onData = (chars) => {
      for (const c of chars) {
        if (c === "\r" || c === "\n") {
          input.setRawMode(false);
          input.pause();
          input.off("data", onData);
          process.stderr.write("\n");
          resolve(typed);
          return;
        }
        if (c === "\u0003") {
          input.setRawMode(false);
          reject(new CliError("cancelled"));
          return;
        }
        typed = c === "\u007f" ? typed.slice(0, -1) : typed + c;
      }
    };
    input.on("data", onData);
    input.resume();
  });
}
