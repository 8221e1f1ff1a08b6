/**
 * Where `ringbearer login` keeps its personal tokens: one per console address, in a file only its owner may read
 * (0600, in a 0700 folder), like other CLIs keep theirs. A token given by flag or RINGBEARER_TOKEN always wins.
 */
import { chmodSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";

/** RINGBEARER_CONFIG_DIR, or $XDG_CONFIG_HOME/ringbearer, or ~/.config/ringbearer. */
export function configDir(env = process.env) {
  if (env.RINGBEARER_CONFIG_DIR) return env.RINGBEARER_CONFIG_DIR;
  return join(env.XDG_CONFIG_HOME || join(homedir(), ".config"), "ringbearer");
}

const fileOf = (env) => join(configDir(env), "credentials.json");

function readAll(env) {
  try {
    const parsed = JSON.parse(readFileSync(fileOf(env), "utf8"));
    return parsed && typeof parsed === "object" ? parsed : {};
  } catch {
    return {};
  }
}

function writeAll(all, env) {
  const dir = configDir(env);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  chmodSync(dir, 0o700);
  const file = fileOf(env);
  const partial = `${file}.${process.pid}.partial`;
  writeFileSync(partial, `${JSON.stringify(all, null, 2)}\n`, { mode: 0o600 });
  renameSync(partial, file);
}

/** The login kept for this console: `{ token, organization, environments, access, expiresAt }`, or undefined. */
export const loadLogin = (url, env = process.env) => readAll(env)[url];

export function saveLogin(url, login, env = process.env) {
  writeAll({ ...readAll(env), [url]: login }, env);
}

/** Forgets this console's login; whether there was one. */
export function forgetLogin(url, env = process.env) {
  const all = readAll(env);
  if (!all[url]) return false;
  delete all[url];
  writeAll(all, env);
  return true;
}
