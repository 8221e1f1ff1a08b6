import { randomUUID } from "node:crypto";
import { constants, realpathSync } from "node:fs";
import { open, rename, unlink } from "node:fs/promises";
import { basename, dirname, join, resolve } from "node:path";
import { type DotenvEntry, parseDotenv, serializeDotenv } from "@/lib/dotenv";
import { ApplyRequest, deployedHash, describeIssues } from "@/lib/sync-protocol";
import { organizationFilePath } from "./organization-folder";
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

/**
 * Reads the file without following a symlink in its last step (the path given is already the real one) and
 * refuses anything but a plain file; with `singleLink`, also a file with other hard links, which could be
 * another organization's file under a second name.
 */
async function readText(file: string, singleLink: boolean): Promise<string | null> {
  let handle: Awaited<ReturnType<typeof open>>;
  try {
    // O_NONBLOCK: a FIFO put in its place must not hang the console; it is refused below as not a file.
    handle = await open(file, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  } catch (error) {
    if (errorCode(error) === "ENOENT") return null;
    if (errorCode(error) === "ELOOP") throw new TargetError("refused", "The .env file is a symbolic link");
    throw new TargetError("io", `Could not read the .env file (${errorCode(error)})`);
  }
  try {
    const stat = await handle.stat();
    if (stat.isDirectory()) throw new TargetError("io", "Could not read the .env file (EISDIR)");
    if (!stat.isFile()) throw new TargetError("refused", "The .env file is not a plain file");
    if (singleLink && stat.nlink > 1)
      throw new TargetError(
        "refused",
        "The .env file has other hard links: another name could be another's file",
      );
    return await handle.readFile("utf8");
  } catch (error) {
    if (error instanceof TargetError) throw error;
    throw new TargetError("io", `Could not read the .env file (${errorCode(error)})`);
  } finally {
    await handle.close().catch(() => {});
  }
}

async function readEntries(file: string, singleLink: boolean): Promise<DotenvEntry[]> {
  const text = await readText(file, singleLink);
  if (text === null) return [];
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
 * A driver over the file `locate()` names, asked again at every read and write so a path checked once is
 * not trusted later. Rewriting keeps keys and their order but not comments, blank lines or `export `
 * prefixes: the file is the deployment's, written the way serializeDotenv writes.
 */
function fileDriver(locate: () => string, secret: string, singleLink: boolean): TargetDriver {
  const hashes = (entries: { key: string; value: string }[]): DeployedState =>
    new Map(entries.map((e) => [e.key, deployedHash(secret, e.value)]));
  const entries = async () => readEntries(locate(), singleLink);

  return {
    state: async () => hashes(await entries()),
    async values(names) {
      const wanted = new Set(names);
      return new Map((await entries()).filter((e) => wanted.has(e.key)).map((e) => [e.key, e.value]));
    },
    async apply(change) {
      const file = locate();
      return serialised(file, async () => {
        checkChange(change);
        const before = await readEntries(file, singleLink);
        const next = applyChange(before, change);
        const after = serializeDotenv(next);
        if (after !== serializeDotenv(before)) await writeAtomically(file, after);
        return hashes(next);
      });
    },
  };
}

/** The real path of `path` when it exists (so a symlinked file is followed once, here), else `path`. */
const realOrGiven = (path: string): string => {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
};

/** A `.env` file an operator names on their own server (the reference receiver's `--file`). */
export function fileTarget({ path, secret }: { path: string; secret: string }): TargetDriver {
  const file = resolve(path);
  return fileDriver(() => realOrGiven(file), secret, false);
}

/**
 * An organization's `.env` file target: `location` inside `<root>/<organization id>`, resolved and checked by
 * organizationFilePath before every operation. A refusal there is a TargetError `refused` from the call.
 */
export function organizationFileTarget(target: {
  root: string;
  organizationId: string;
  location: string;
  secret: string;
}): TargetDriver {
  return fileDriver(
    () => organizationFilePath(target.root, target.organizationId, target.location),
    target.secret,
    true,
  );
}
