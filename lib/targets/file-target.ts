import { randomUUID } from "node:crypto";
import { lstatSync, mkdirSync, realpathSync } from "node:fs";
import { open, readFile, rename, unlink } from "node:fs/promises";
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from "node:path";
import { type DotenvEntry, parseDotenv, serializeDotenv } from "@/lib/dotenv";
import { ApplyRequest, deployedHash, describeIssues } from "@/lib/sync-protocol";
import { type DeployedState, type TargetChange, type TargetDriver, TargetError } from "./types";

/** The names serializeDotenv can write; the protocol allows more, which a .env target has to refuse. */
const DOTENV_NAME = /^[A-Z][A-Z0-9_]*$/;

const errorCode = (error: unknown): string => (error as { code?: string })?.code ?? "error";

/**
 * One write at a time per file in this process, so two applies never read the same old state and the later
 * rename silently drops the earlier change.
 */
const queues = new Map<string, Promise<unknown>>();

function serialised<T>(key: string, task: () => Promise<T>): Promise<T> {
  const run = (queues.get(key) ?? Promise.resolve()).then(task, task);
  const tail = run.catch(() => {});
  queues.set(key, tail);
  void tail.then(() => {
    if (queues.get(key) === tail) queues.delete(key);
  });
  return run;
}

/** Temp file in the same folder (so rename is atomic), 0600, flushed before the rename and the folder after. */
async function writeAtomically(file: string, text: string): Promise<void> {
  const temp = join(dirname(file), `.${basename(file)}.${randomUUID()}.tmp`);
  try {
    const handle = await open(temp, "wx", 0o600);
    try {
      await handle.writeFile(text, "utf8");
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, file);
  } catch (error) {
    await unlink(temp).catch(() => {});
    throw new TargetError("io", `Could not write the .env file (${errorCode(error)})`);
  }
  // The rename itself is durable only once the folder is flushed; some filesystems cannot, which is fine.
  const folder = await open(dirname(file), "r").catch(() => null);
  if (!folder) return;
  await folder.sync().catch(() => {});
  await folder.close().catch(() => {});
}

async function readEntries(file: string): Promise<DotenvEntry[]> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    if (errorCode(error) === "ENOENT") return [];
    throw new TargetError("io", `Could not read the .env file (${errorCode(error)})`);
  }
  const { entries, problems } = parseDotenv(text);
  const [first] = problems;
  if (first) {
    const key = first.key ? ` (${first.key})` : "";
    const more = problems.length > 1 ? ` and ${problems.length - 1} more problem(s)` : "";
    throw new TargetError(
      "bad_response",
      `The .env file has an invalid line ${first.line}${key}: ${first.message}${more}`,
    );
  }
  return entries;
}

function checkChange(change: TargetChange): void {
  const parsed = ApplyRequest.safeParse(change);
  if (!parsed.success) throw new TargetError("refused", describeIssues(parsed.error));
  const unwritable = Object.keys(change.set).find((name) => !DOTENV_NAME.test(name));
  if (unwritable) {
    throw new TargetError("refused", `set.${unwritable}: a .env file holds only UPPER_SNAKE_CASE names`);
  }
}

/** Existing keys keep their place (and unchanged values), new keys are appended in the order given. */
function applyChange(entries: DotenvEntry[], change: TargetChange): { key: string; value: string }[] {
  const deleted = new Set(change.delete);
  const set = new Map(Object.entries(change.set));
  const next = entries
    .filter((e) => !deleted.has(e.key))
    .map(({ key, value }) => ({ key, value: set.get(key) ?? value }));
  const present = new Set(next.map((e) => e.key));
  for (const [key, value] of set) if (!present.has(key)) next.push({ key, value });
  return next;
}

/**
 * A `.env` file on the console's own filesystem. Rewriting it keeps keys and their order but not comments,
 * blank lines or `export ` prefixes: the file is the deployment's, written the way serializeDotenv writes.
 */
export function fileTarget({ path, secret }: { path: string; secret: string }): TargetDriver {
  const file = resolve(path);
  const hashes = (entries: { key: string; value: string }[]): DeployedState =>
    new Map(entries.map((e) => [e.key, deployedHash(secret, e.value)]));

  return {
    state: async () => hashes(await readEntries(file)),
    async values(names) {
      const wanted = new Set(names);
      const entries = await readEntries(file);
      return new Map(entries.filter((e) => wanted.has(e.key)).map((e) => [e.key, e.value]));
    },
    apply: (change) =>
      serialised(file, async () => {
        checkChange(change);
        const entries = await readEntries(file);
        const next = applyChange(entries, change);
        const before = serializeDotenv(entries);
        const after = serializeDotenv(next);
        if (after !== before) await writeAtomically(file, after);
        return hashes(next);
      }),
  };
}

const isWithin = (root: string, path: string): boolean => {
  const rel = relative(root, path);
  return rel !== ".." && !rel.startsWith(`..${sep}`) && !isAbsolute(rel);
};

function refuse(given: string, why = "is outside the targets folder"): never {
  throw new TargetError("refused", `"${given}" ${why}`);
}

/** The real path of `path`, refused when it (or, for a symlink, what it points at) is outside `realRoot`. */
function realWithin(realRoot: string, path: string, given: string): string {
  let real: string;
  try {
    real = realpathSync(path);
  } catch {
    refuse(given, "points at something that does not exist");
  }
  if (!isWithin(realRoot, real)) refuse(given);
  return real;
}

/**
 * The absolute path of a file target `relative` to `root`, refusing anything that would land outside root:
 * `..`, absolute paths elsewhere, and symlinks (in the folders or the file itself) pointing out. Creates the
 * missing folders, but only after checking that the deepest existing one is inside root.
 */
export function resolveTargetPath(root: string, relativePath: string): string {
  const base = resolve(root);
  const target = resolve(base, relativePath);
  if (!relativePath.trim() || relativePath.includes("\0") || target === base || !isWithin(base, target)) {
    refuse(relativePath);
  }
  try {
    mkdirSync(base, { recursive: true, mode: 0o700 });
    const realRoot = realpathSync(base);
    let existing = dirname(target);
    while (!lstatSync(existing, { throwIfNoEntry: false })) existing = dirname(existing);
    realWithin(realRoot, existing, relativePath);
    mkdirSync(dirname(target), { recursive: true, mode: 0o700 });
    const file = join(realWithin(realRoot, dirname(target), relativePath), basename(target));
    const stat = lstatSync(file, { throwIfNoEntry: false });
    if (stat?.isSymbolicLink()) realWithin(realRoot, file, relativePath);
    if (stat?.isDirectory()) refuse(relativePath, "is a folder");
    return file;
  } catch (error) {
    if (error instanceof TargetError) throw error;
    throw new TargetError("io", `Could not prepare the folder for "${relativePath}" (${errorCode(error)})`);
  }
}
