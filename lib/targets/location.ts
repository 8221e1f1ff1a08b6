/**
 * Where a `.env` file target may be: a relative path inside its organization's own target folder, spelled
 * with a strict allow-list so that no spelling (`..`, an absolute path, a backslash, `%2e`, NUL, a Unicode
 * look-alike of `.` or `/` such as U+2215 or U+FF0E) can name anything else. Pure: no I/O.
 */

/** One folder or file name: ASCII letters, digits, `.`, `_` and `-`. */
const SEGMENT = /^[A-Za-z0-9._-]+$/;
const MAX_SEGMENT = 255;
const MAX_DEPTH = 16;
export const FILE_LOCATION_EXAMPLE = "web/production.env";

/** Why `location` is not an acceptable file target location, or null when it is. */
export function fileLocationProblem(location: string): string | null {
  if (location.length === 0) return "Enter a path, e.g. web/production.env";
  if (location.includes("\0")) return "A path cannot contain a NUL character";
  // NFC and ASCII only: anything else (look-alike dots and slashes, combining marks) is refused outright.
  if (location.normalize("NFC") !== location || /[^\x20-\x7e]/.test(location))
    return "Use plain ASCII letters, digits, . _ - and / only (look-alike characters are refused)";
  if (location.startsWith("/"))
    return "A path relative to your organization's target folder, without a leading /";
  if (location.includes("\\")) return "Separate folders with /, not \\";
  const segments = location.split("/");
  if (segments.length > MAX_DEPTH) return `At most ${MAX_DEPTH} folders deep`;
  for (const segment of segments) {
    if (segment === "") return "No empty folder names (a doubled / or a trailing /)";
    if (segment === "." || segment === "..") return "No . or .. in the path";
    if (!SEGMENT.test(segment))
      return `Use letters, digits, . _ - and / only: a path under your organization's target folder, e.g. ${FILE_LOCATION_EXAMPLE}`;
    if (segment.length > MAX_SEGMENT) return `A folder or file name has at most ${MAX_SEGMENT} characters`;
  }
  return null;
}

const ORGANIZATION_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** An organization id as the database gives it (a lower-case UUID): the only name an organization's folder has. */
export const isOrganizationId = (id: string): boolean => ORGANIZATION_ID.test(id);
