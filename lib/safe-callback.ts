/**
 * Where to go after signing in: a same-origin path, or "/". One rule for every place that follows a
 * `callbackUrl` (next-auth's redirect callback, the login page and the login form), so no spelling of another
 * origin gets through one of them: protocol-relative `//host`, `/.//host` (normalises to `//host`),
 * backslashes (`/\host`, which browsers read as `//host`), tabs and newlines (which URL parsers drop),
 * percent-encoded slashes or backslashes (decoded by some later hop), `javascript:` and other schemes.
 * Absolute URLs are accepted only for one of `origins` (ours) and become their path.
 */
const MAX_LENGTH = 2048;
const PLACEHOLDER = "http://ringbearer.invalid";

// Control characters (including tab, CR, LF, NUL), backslashes and whitespace are never part of a path we
// make; refusing them outright closes the parser-disagreement tricks instead of normalising them away.
function hasForbidden(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c <= 0x20 || (c >= 0x7f && c <= 0x9f) || c === 0x5c) return true;
  }
  return false;
}
const ABSOLUTE = /^[a-zA-Z][a-zA-Z0-9+.-]*:\/\//;

function decodedRepeatedly(path: string): string[] {
  const forms = [path];
  let current = path;
  for (let i = 0; i < 4; i++) {
    let next: string;
    try {
      next = decodeURIComponent(current);
    } catch {
      break;
    }
    if (next === current) break;
    forms.push(next);
    current = next;
  }
  return forms;
}

const sameOriginPath = (path: string) =>
  decodedRepeatedly(path).every(
    (form) => form.startsWith("/") && !/^\/[/\\]/.test(form) && !hasForbidden(form),
  );

export function safeCallbackPath(value: unknown, origins: readonly string[] = []): string {
  if (typeof value !== "string" || value.length === 0 || value.length > MAX_LENGTH) return "/";
  if (hasForbidden(value)) return "/";
  const absolute = ABSOLUTE.test(value);
  if (!absolute && !value.startsWith("/")) return "/";
  let url: URL;
  try {
    url = new URL(value, PLACEHOLDER);
  } catch {
    return "/";
  }
  const allowed = absolute
    ? origins.some((origin) => {
        try {
          return new URL(origin).origin === url.origin;
        } catch {
          return false;
        }
      })
    : url.origin === PLACEHOLDER;
  if (!allowed || url.username || url.password) return "/";
  const path = `${url.pathname}${url.search}${url.hash}`;
  return sameOriginPath(url.pathname) ? path : "/";
}
