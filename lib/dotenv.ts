/**
 * .env text <-> variables. The parser follows dotenv's conventions (comments, `export `, single, double and
 * backtick quotes, multiline quoted values, `#` starting a comment in unquoted values) but is our own, so that
 * it can report problems by line and undo every escape the serializer writes: dotenv's `parse` only unescapes
 * `\n` and `\r`, which cannot round-trip backslashes or double quotes.
 *
 * `#` in a value: quoted values keep it; in an unquoted value any `#` starts a comment, as dotenv (since 15)
 * and Node's own `util.parseEnv` read it — so `KEY=abc#def` is `abc` here as in the app that loads the file.
 * Shells and some other parsers only start a comment at a `#` after whitespace, so where a `#` touches the
 * text before it (`abc#def`, `=#x`) the line gets a warning: quote the value to keep the `#`.
 */

export type DotenvEntry = { key: string; value: string; line: number };
export type DotenvProblem = { line: number; key?: string; message: string };

const KEY_NAME = /^[A-Z][A-Z0-9_]*$/;
const KEY_TOKEN = /^[A-Za-z0-9_.-]+/;
const EXPORT_PREFIX = /^export[ \t]+(?=[A-Za-z0-9_.-])/;
const PLAIN_VALUE = /^[A-Za-z0-9_./:@+-]*$/;
const AFTER_QUOTE = /^[ \t]*(#.*)?$/;
/** An unquoted value's `#` that touches what comes before it (or the `=`): parsers disagree about it. */
const TOUCHING_HASH = /(^|[^ \t])#/;
const HASH_WARNING =
  'Unquoted "#" starts a comment (as dotenv reads it): the value stops before it. Quote the value to keep the "#".';

const QUOTE_NAMES: Record<string, string> = { '"': "double", "'": "single", "`": "backtick" };
const UNESCAPES: Record<string, string> = { n: "\n", r: "\r", "\\": "\\", '"': '"', $: "$", "`": "`" };
const ESCAPES: Record<string, string> = {
  "\\": "\\\\",
  '"': '\\"',
  "\n": "\\n",
  "\r": "\\r",
  $: "\\$",
  "`": "\\`",
};

type Scanned = { value: string; endLine: number; rest: string } | null;
type LineResult =
  | { kind: "skip"; next: number }
  | { kind: "entry"; key: string; value: string; next: number; warning?: string }
  | { kind: "problem"; key?: string; message: string; next: number };

/** Undoes the escapes a double-quoted value may hold; any other backslash is kept, as a shell would. */
function unescapeDouble(raw: string): string {
  return raw.replace(/\\([\s\S])/g, (whole, c: string) => UNESCAPES[c] ?? whole);
}

/** Finds the closing quote of a value opening at `lines[start][col]`, across lines; null when unterminated. */
function scanQuoted(lines: string[], start: number, col: number, quote: string): Scanned {
  let raw = "";
  let line = start;
  let i = col + 1;
  while (line < lines.length) {
    const text = lines[line];
    while (i < text.length) {
      const c = text[i];
      if (c === "\\" && quote === '"' && i + 1 < text.length) {
        raw += c + text[i + 1];
        i += 2;
      } else if (c === quote) {
        const value = quote === '"' ? unescapeDouble(raw) : raw;
        return { value, endLine: line, rest: text.slice(i + 1) };
      } else {
        raw += c;
        i += 1;
      }
    }
    raw += "\n";
    line += 1;
    i = 0;
  }
  return null;
}

/** Parses the assignment (or blank line or comment) that starts on `lines[index]`. */
function parseLine(lines: string[], index: number): LineResult {
  const next = index + 1;
  let text = lines[index].replace(/^[ \t]+/, "");
  if (text === "" || text.startsWith("#")) return { kind: "skip", next };
  text = text.replace(EXPORT_PREFIX, "");
  const key = KEY_TOKEN.exec(text)?.[0];
  const afterKey = key ? text.slice(key.length).replace(/^[ \t]+/, "") : "";
  if (!key || !afterKey.startsWith("=")) {
    return { kind: "problem", message: "Expected KEY=value (or a # comment)", next };
  }
  const rawValue = afterKey.slice(1);
  const valueText = rawValue.replace(/^[ \t]+/, "");
  const col = lines[index].length - valueText.length;
  const quote = valueText[0];
  let value: string;
  let warning: string | undefined;
  let after = next;
  if (quote === '"' || quote === "'" || quote === "`") {
    const scanned = scanQuoted(lines, index, col, quote);
    const unterminated = {
      kind: "problem",
      key,
      message: `Unterminated ${QUOTE_NAMES[quote]} quote`,
      next,
    } as const;
    if (!scanned) return unterminated;
    if (!AFTER_QUOTE.test(scanned.rest)) {
      // A "closing" quote lines later with text after it is more likely the next value's opening quote.
      if (scanned.endLine > index) return unterminated;
      return {
        kind: "problem",
        key,
        message: "Unexpected text after the closing quote",
        next: scanned.endLine + 1,
      };
    }
    value = scanned.value;
    after = scanned.endLine + 1;
  } else {
    const hash = valueText.indexOf("#");
    value = (hash === -1 ? valueText : valueText.slice(0, hash)).replace(/[ \t]+$/, "");
    if (hash !== -1 && TOUCHING_HASH.test(rawValue.slice(0, rawValue.length - valueText.length + hash + 1)))
      warning = HASH_WARNING;
  }
  if (!KEY_NAME.test(key)) {
    return {
      kind: "problem",
      key,
      message: "Key name must be UPPER_SNAKE_CASE (A-Z, 0-9 and _)",
      next: after,
    };
  }
  return { kind: "entry", key, value, next: after, ...(warning ? { warning } : {}) };
}

/**
 * Parses .env text into entries, problems and warnings (1-based lines, never quoting a value). A repeated key
 * is a problem on the later line and that later assignment is dropped: the first value is kept. A warning
 * does not stop the entry (an unquoted `#` that may not have been meant as a comment).
 */
export function parseDotenv(text: string): {
  entries: DotenvEntry[];
  problems: DotenvProblem[];
  warnings: DotenvProblem[];
} {
  const lines = text
    .replace(/^\uFEFF/, "")
    .replace(/\r\n?/g, "\n")
    .split("\n");
  const entries: DotenvEntry[] = [];
  const problems: DotenvProblem[] = [];
  const warnings: DotenvProblem[] = [];
  const seen = new Map<string, number>();
  let index = 0;
  while (index < lines.length) {
    const line = index + 1;
    const result = parseLine(lines, index);
    if (result.kind === "problem") {
      problems.push(
        result.key ? { line, key: result.key, message: result.message } : { line, message: result.message },
      );
    } else if (result.kind === "entry") {
      const first = seen.get(result.key);
      if (first !== undefined) {
        problems.push({ line, key: result.key, message: `Duplicate key (first set on line ${first})` });
      } else {
        seen.set(result.key, line);
        entries.push({ key: result.key, value: result.value, line });
        if (result.warning) warnings.push({ line, key: result.key, message: result.warning });
      }
    }
    index = result.next;
  }
  return { entries, problems, warnings };
}

/** A value as .env text: bare when plainly safe, else double-quoted with `\ " $ ` + "`" + ` CR LF` escaped. */
export function quoteDotenvValue(value: string): string {
  if (PLAIN_VALUE.test(value)) return value;
  return `"${value.replace(/[\\"$`\n\r]/g, (c) => ESCAPES[c])}"`;
}

/**
 * One `KEY=value` line per entry. The output parses back to exactly the same entries, and `source`-ing it in
 * sh/bash expands nothing (newlines and carriage returns read back there as the two characters `\n`, `\r`).
 * Throws on a key that is not UPPER_SNAKE_CASE, since such a key could not be written safely.
 */
export function serializeDotenv(entries: { key: string; value: string }[]): string {
  return entries
    .map(({ key, value }) => {
      if (!KEY_NAME.test(key)) throw new Error(`"${key}" is not an UPPER_SNAKE_CASE variable name`);
      return `${key}=${quoteDotenvValue(value)}\n`;
    })
    .join("");
}

/** A pretty JSON object `{ KEY: value }` in the given order (a repeated key keeps its last value). */
export function serializeJson(entries: { key: string; value: string }[]): string {
  const object: Record<string, string> = {};
  for (const { key, value } of entries) {
    Object.defineProperty(object, key, { value, enumerable: true, writable: true, configurable: true });
  }
  return `${JSON.stringify(object, null, 2)}\n`;
}
