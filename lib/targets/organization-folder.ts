import { lstatSync, mkdirSync, realpathSync } from "node:fs";
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from "node:path";
import { fileLocationProblem, isOrganizationId } from "./location";
import { TargetError } from "./types";

const errorCode = (error: unknown): string => (error as { code?: string })?.code ?? "error";

const isWithin = (folder: string, path: string): boolean => {
  const rel = relative(folder, path);
  return rel !== "" && rel !== ".." && !rel.startsWith(`..${sep}`) && !isAbsolute(rel);
};

const refuse = (why: string): never => {
  throw new TargetError("refused", `The location ${why}`);
};

/** The real path of `path` (symlinks resolved), refused unless it is inside `realFolder`. */
function realInside(realFolder: string, path: string): string {
  let real: string;
  try {
    real = realpathSync(path);
  } catch {
    return refuse("points at something that does not exist");
  }
  if (!isWithin(realFolder, real)) refuse("is outside your organization's target folder");
  return real;
}

/**
 * The organization's own folder, `<root>/<organization id>`, created 0700. It must be a plain folder right
 * under the real root: a symlink put in its place (say, to another organization's folder) is refused.
 */
function organizationFolder(root: string, organizationId: string): string {
  if (!isOrganizationId(organizationId)) throw new TargetError("refused", "Unknown organization");
  const base = resolve(root);
  mkdirSync(base, { recursive: true, mode: 0o700 });
  const folder = join(realpathSync(base), organizationId);
  try {
    mkdirSync(folder, { mode: 0o700 });
  } catch (error) {
    if (errorCode(error) !== "EEXIST") throw error;
  }
  if (!lstatSync(folder).isDirectory() || realpathSync(folder) !== folder)
    refuse("cannot be used: your organization's target folder is not a plain folder (is it a symlink?)");
  return folder;
}

/**
 * The absolute, real path of an organization's file target: `location` (checked against the allow-list of
 * lib/targets/location.ts) inside `<root>/<organization id>`, checked after resolving symlinks in every
 * folder and in the file itself, so nothing outside the organization's folder is reachable. Creates the
 * missing folders (0700), but only once the deepest existing one is known to be inside. This is the only
 * way from a stored location to a file: it needs the organization's id, which comes from the database row.
 */
export function organizationFilePath(root: string, organizationId: string, location: string): string {
  const problem = fileLocationProblem(location);
  if (problem) refuse(`is not allowed: ${problem}`);
  try {
    const folder = organizationFolder(root, organizationId);
    const target = join(folder, location);
    if (!isWithin(folder, target)) refuse("is outside your organization's target folder");
    let existing = dirname(target);
    while (!lstatSync(existing, { throwIfNoEntry: false })) existing = dirname(existing);
    if (existing !== folder) realInside(folder, existing);
    mkdirSync(dirname(target), { recursive: true, mode: 0o700 });
    const parent = dirname(target) === folder ? folder : realInside(folder, dirname(target));
    const file = join(parent, basename(target));
    const stat = lstatSync(file, { throwIfNoEntry: false });
    const real = stat?.isSymbolicLink() ? realInside(folder, file) : file;
    if (lstatSync(real, { throwIfNoEntry: false })?.isDirectory()) refuse("is a folder");
    return real;
  } catch (error) {
    if (error instanceof TargetError) throw error;
    throw new TargetError("io", `Could not prepare the folder for the .env file (${errorCode(error)})`);
  }
}
