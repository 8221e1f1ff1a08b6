import { judgePattern, matchesPattern } from "./safe-pattern";

/**
 * Checks run on every value write. Messages describe what is wrong and never quote the value. Feature flags
 * accept true/false, 1/0, on/off and yes/no (any case); an API key of no known provider format is a warning,
 * not a failure, since unknown providers exist.
 */

export type CheckStatus = "passed" | "failed" | "warning";
export type ValueCheck = { type: "format" | "api_key" | "security"; status: CheckStatus; message: string };

export type VariableType = "api_key" | "database_url" | "feature_flag" | "configuration" | "secret";
export type EnvironmentType = "development" | "testing" | "staging" | "production" | "disaster_recovery";
export type CheckInput = {
  variableType: VariableType;
  value: string;
  environmentType: EnvironmentType;
  validationPattern?: string | null;
  tags?: string[];
};

const DATABASE_SCHEMES: Record<string, string> = {
  "postgres:": "PostgreSQL",
  "postgresql:": "PostgreSQL",
  "mysql:": "MySQL",
  "mariadb:": "MariaDB",
  "mongodb:": "MongoDB",
  "mongodb+srv:": "MongoDB",
  "redis:": "Redis",
  "rediss:": "Redis",
  "sqlite:": "SQLite",
  "sqlite3:": "SQLite",
  "libsql:": "libSQL",
};
const FILE_SCHEMES = new Set(["sqlite:", "sqlite3:"]);
const BOOLEAN = /^(true|false|1|0|on|off|yes|no)$/i;

type KeyFormat = { pattern: RegExp; name: string; mode?: "live" | "test" };
const KEY_FORMATS: KeyFormat[] = [
  { pattern: /^sk_live_[A-Za-z0-9]{10,}$/, name: "Stripe secret key", mode: "live" },
  { pattern: /^sk_test_[A-Za-z0-9]{10,}$/, name: "Stripe secret key", mode: "test" },
  { pattern: /^rk_live_[A-Za-z0-9]{10,}$/, name: "Stripe restricted key", mode: "live" },
  { pattern: /^rk_test_[A-Za-z0-9]{10,}$/, name: "Stripe restricted key", mode: "test" },
  { pattern: /^pk_live_[A-Za-z0-9]{10,}$/, name: "Stripe publishable key", mode: "live" },
  { pattern: /^pk_test_[A-Za-z0-9]{10,}$/, name: "Stripe publishable key", mode: "test" },
  { pattern: /^re_[A-Za-z0-9_]{10,}$/, name: "Resend API key" },
  { pattern: /^AC[0-9a-fA-F]{32}$/, name: "Twilio account SID" },
  { pattern: /^SK[0-9a-fA-F]{32}$/, name: "Twilio API key SID" },
];
const PRODUCTION_LIKE = new Set<EnvironmentType>(["production", "disaster_recovery"]);
const DEVELOPMENT_LIKE = new Set<EnvironmentType>(["development", "testing"]);

/** A check result. */
function result(type: ValueCheck["type"], status: CheckStatus, message: string): ValueCheck {
  return { type, status, message };
}

/** Whether the text holds an ASCII control character (which URL parsing would silently drop). */
function hasControlCharacter(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x20 || code === 0x7f) return true;
  }
  return false;
}

/** Whether `host` is a usable host name for a URL of `scheme` (checked on its own, for multi-host lists). */
function validHost(scheme: string, host: string): boolean {
  try {
    return new URL(`${scheme}//${host}`).hostname !== "";
  } catch {
    return false;
  }
}

/** MongoDB's `host1,host2` seed lists are not WHATWG URLs: checks each host and keeps only the first. */
function withSingleHost(value: string): string | null {
  const match = /^(mongodb:\/\/)([^@/?#]*@)?([^/?#]*)(.*)$/s.exec(value);
  if (!match?.[3].includes(",")) return value;
  const hosts = match[3].split(",");
  if (!hosts.every((host) => validHost("mongodb:", host))) return null;
  return `${match[1]}${match[2] ?? ""}${hosts[0]}${match[4]}`;
}

/** Checks that a value is a connection URL for a supported database. */
export function checkDatabaseUrl(value: string): ValueCheck {
  const fail = (message: string) => result("format", "failed", message);
  if (value.trim() !== value) return fail("Database URL has leading or trailing whitespace");
  if (hasControlCharacter(value)) return fail("Database URL contains control characters (e.g. a line break)");
  const single = withSingleHost(value);
  if (single === null) return fail("Database URL has an invalid host in its host list");
  let url: URL;
  try {
    url = new URL(single);
  } catch {
    return fail("Not a valid URL (expected e.g. postgres://user:password@host:5432/database)");
  }
  const engine = DATABASE_SCHEMES[url.protocol];
  if (!engine) {
    return fail(
      `Unsupported database URL scheme (expected one of ${Object.keys(DATABASE_SCHEMES).join(" ")})`,
    );
  }
  if (FILE_SCHEMES.has(url.protocol)) {
    if (url.pathname === "" && url.hostname === "") return fail("SQLite URL has no database path");
  } else if (url.hostname === "") {
    return fail("Database URL has no host");
  }
  return result("format", "passed", `Valid ${engine} connection URL`);
}

/** Checks an API key against known provider formats, and its live/test mode against the environment. */
export function checkApiKey(value: string, environmentType: EnvironmentType): ValueCheck[] {
  const format = KEY_FORMATS.find((f) => f.pattern.test(value));
  if (!format) return [result("api_key", "warning", "Not a recognised provider format")];
  const checks = [result("api_key", "passed", `Recognised ${format.name} format`)];
  if (format.mode === "test" && PRODUCTION_LIKE.has(environmentType)) {
    checks.push(result("security", "warning", "Test key in production"));
  } else if (format.mode === "live" && DEVELOPMENT_LIKE.has(environmentType)) {
    checks.push(result("security", "warning", "Live key outside production"));
  } else if (format.mode) {
    checks.push(
      result("security", "passed", `${format.mode === "live" ? "Live" : "Test"} key suits this environment`),
    );
  }
  return checks;
}

/** Checks that a feature flag is a boolean spelling. */
export function checkFeatureFlag(value: string): ValueCheck {
  return BOOLEAN.test(value)
    ? result("format", "passed", "Valid boolean")
    : result("format", "failed", "Feature flags must be true or false (also accepted: 1/0, on/off, yes/no)");
}

/** Offset of the end of a JSON string starting at `start` (its opening quote), or -(error offset) - 1. */
function scanJsonString(text: string, start: number): number {
  let i = start + 1;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c === 0x22) return i + 1;
    if (c < 0x20) return -i - 1;
    if (c === 0x5c) {
      const e = text[i + 1];
      if (e === "u") {
        if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) return -(i + 1) - 1;
        i += 6;
      } else if (e !== undefined && '"\\/bfnrt'.includes(e)) {
        i += 2;
      } else {
        return -(i + 1) - 1;
      }
    } else {
      i += 1;
    }
  }
  return -text.length - 1;
}

/** Offset of the first JSON syntax error in `text` (iterative, so deep nesting is fine), or null when valid. */
export function jsonErrorOffset(text: string): number | null {
  const stack: string[] = [];
  const number = /-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/y;
  let expect: "value" | "valueOrClose" | "key" | "keyOrClose" | "after" = "value";
  let i = 0;
  for (;;) {
    while (i < text.length && " \t\n\r".includes(text[i])) i++;
    const c = text[i];
    if (expect === "after") {
      if (stack.length === 0) return i < text.length ? i : null;
      const top = stack[stack.length - 1];
      if (c === ",") expect = top === "{" ? "key" : "value";
      else if (c === (top === "{" ? "}" : "]")) stack.pop();
      else return i;
      i += 1;
      continue;
    }
    if (c === undefined) return i;
    if (expect === "key" || expect === "keyOrClose") {
      if (expect === "keyOrClose" && c === "}") {
        stack.pop();
        expect = "after";
        i += 1;
        continue;
      }
      if (c !== '"') return i;
      const end = scanJsonString(text, i);
      if (end < 0) return -end - 1;
      i = end;
      while (i < text.length && " \t\n\r".includes(text[i])) i++;
      if (text[i] !== ":") return i;
      expect = "value";
      i += 1;
      continue;
    }
    if (expect === "valueOrClose" && c === "]") {
      stack.pop();
      expect = "after";
      i += 1;
      continue;
    }
    if (c === "{" || c === "[") {
      stack.push(c);
      expect = c === "{" ? "keyOrClose" : "valueOrClose";
      i += 1;
      continue;
    }
    expect = "after";
    if (c === '"') {
      const end = scanJsonString(text, i);
      if (end < 0) return -end - 1;
      i = end;
    } else if (text.startsWith("true", i) || text.startsWith("null", i)) {
      i += 4;
    } else if (text.startsWith("false", i)) {
      i += 5;
    } else {
      number.lastIndex = i;
      if (!number.test(text)) return i;
      i = number.lastIndex;
    }
  }
}

/** Checks that a configuration value is JSON, naming where the syntax breaks (never what is there). */
export function checkJson(value: string): ValueCheck {
  try {
    JSON.parse(value);
    return result("format", "passed", "Valid JSON");
  } catch {
    const offset = jsonErrorOffset(value);
    if (offset === null) return result("format", "failed", "Not valid JSON");
    const before = value.slice(0, offset).split("\n");
    const where = `line ${before.length}, column ${before[before.length - 1].length + 1}`;
    const what = offset >= value.length ? "unexpected end of input" : "syntax error";
    return result("format", "failed", `Not valid JSON: ${what} at ${where} (position ${offset})`);
  }
}

/**
 * Checks a value against the variable's own validation pattern, refusing to run an unsafe pattern. The
 * pattern's safety is proved off the event loop (usually answered from the cache); when the checker is too
 * busy to answer, or its analysis did not finish, the value is refused for now rather than accepted unchecked.
 */
export async function checkPattern(pattern: string, value: string): Promise<ValueCheck> {
  const verdict = await judgePattern(pattern);
  if (!verdict.usable && verdict.retry) {
    return result("format", "failed", "The validation pattern could not be checked just now; try again");
  }
  if (!verdict.usable) {
    return result(
      "format",
      "warning",
      "The variable's validation pattern is unsafe or invalid, so it was not applied",
    );
  }
  return matchesPattern(pattern, value)
    ? result("format", "passed", "Matches the variable's validation pattern")
    : result("format", "failed", "Does not match the variable's validation pattern");
}

/** Every check that applies to a value of this type (with this pattern and these tags); [] when none apply. */
export async function checkValue(input: CheckInput): Promise<ValueCheck[]> {
  const checks: ValueCheck[] = [];
  if (input.variableType === "database_url") checks.push(checkDatabaseUrl(input.value));
  if (input.variableType === "api_key") checks.push(...checkApiKey(input.value, input.environmentType));
  if (input.variableType === "feature_flag") checks.push(checkFeatureFlag(input.value));
  if (input.variableType === "configuration" && input.tags?.includes("json"))
    checks.push(checkJson(input.value));
  if (input.validationPattern) checks.push(await checkPattern(input.validationPattern, input.value));
  return checks;
}

const SEVERITY: Record<CheckStatus, number> = { passed: 0, warning: 1, failed: 2 };

/** The most severe status among checks (failed > warning > passed); null when there are none. */
export function worstStatus(checks: ValueCheck[]): CheckStatus | null {
  return checks.reduce<CheckStatus | null>(
    (worst, check) => (worst === null || SEVERITY[check.status] > SEVERITY[worst] ? check.status : worst),
    null,
  );
}
