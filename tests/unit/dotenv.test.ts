import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "dotenv";
import { afterAll, describe, expect, it } from "vitest";
import { parseDotenv, serializeDotenv, serializeJson } from "@/lib/dotenv";

const NASTY: Record<string, string> = {
  PLAIN: "abc-123_./:@+",
  EMPTY: "",
  SPACES: "  leading and trailing  ",
  HASH: "p#ss # not a comment",
  EQUALS: "a=b==c",
  DOUBLE_QUOTES: 'say "hi"',
  SINGLE_QUOTES: "it's 'quoted'",
  BACKTICKS: "`uname -a`",
  NEWLINES: "line1\nline2\n\nline4\n",
  CRLF: "a\r\nb\rc",
  UNICODE: "héllo wörld — 日本語 🔑🎉",
  BACKSLASHES: "C:\\path\\to\\n\\\\x\\",
  BACKSLASH_QUOTE: '\\"\\',
  LITERAL_ESCAPE: "\\n is not a newline",
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a literal shell expansion is the point
  DOLLAR: "${HOME} $HOME $(touch pwned) $$",
  MIXED: "'\"`$\\\n#=",
  TAB: "a\tb",
  ONLY_HASH: "#",
  QUOTE_START: '"',
  TRAILING_BACKSLASH: "ends with \\",
};
const nastyEntries = () => Object.entries(NASTY).map(([key, value]) => ({ key, value }));

describe("serializeDotenv / parseDotenv round trips", () => {
  it.each(Object.entries(NASTY))("round-trips %s exactly", (key, value) => {
    const text = serializeDotenv([{ key, value }]);
    expect(parseDotenv(text)).toEqual({ entries: [{ key, value, line: 1 }], problems: [], warnings: [] });
  });

  it("round-trips a whole file, one line per entry, in order", () => {
    const text = serializeDotenv(nastyEntries());
    expect(text.endsWith("\n")).toBe(true);
    expect(text.split("\n")).toHaveLength(nastyEntries().length + 1);
    const { entries, problems } = parseDotenv(text);
    expect(problems).toEqual([]);
    expect(entries.map(({ key, value }) => ({ key, value }))).toEqual(nastyEntries());
    expect(entries.map((e) => e.line)).toEqual(nastyEntries().map((_, i) => i + 1));
  });

  it("round-trips after the file's line endings become CRLF", () => {
    const text = serializeDotenv(nastyEntries()).replace(/\n/g, "\r\n");
    const { entries, problems } = parseDotenv(text);
    expect(problems).toEqual([]);
    expect(entries.map(({ key, value }) => ({ key, value }))).toEqual(nastyEntries());
  });

  it("leaves plain values bare and quotes everything else", () => {
    expect(serializeDotenv([{ key: "A", value: "postgres://u@h:5432/db" }])).toBe(
      "A=postgres://u@h:5432/db\n",
    );
    expect(serializeDotenv([{ key: "A", value: "" }])).toBe("A=\n");
    expect(serializeDotenv([{ key: "A", value: "a b" }])).toBe('A="a b"\n');
    expect(serializeDotenv([{ key: "A", value: '$x`y"z\\\n' }])).toBe('A="\\$x\\`y\\"z\\\\\\n"\n');
    expect(serializeDotenv([])).toBe("");
  });

  it("refuses keys that are not UPPER_SNAKE_CASE, naming the key only", () => {
    expect(() => serializeDotenv([{ key: "A;rm -rf /", value: "v" }])).toThrow(/not an UPPER_SNAKE_CASE/);
  });
});

describe("serializeJson", () => {
  it("writes a pretty object in the given order", () => {
    const text = serializeJson([
      { key: "B", value: "2" },
      { key: "A", value: 'x"\n' },
    ]);
    expect(text).toBe('{\n  "B": "2",\n  "A": "x\\"\\n"\n}\n');
    expect(Object.keys(JSON.parse(text))).toEqual(["B", "A"]);
  });

  it("writes an empty object for no entries", () => {
    expect(serializeJson([])).toBe("{}\n");
  });
});

describe("parseDotenv", () => {
  it("reads comments, export, quotes, inline comments and multiline values", () => {
    const text = [
      "# a comment",
      "",
      "   # indented comment",
      "export EXPORTED=yes",
      "SINGLE='raw $HOME \\n # kept'",
      'DOUBLE="a\\nb" # trailing comment',
      'BACKTICK=`it\'s "both"`',
      "UNQUOTED = some value   # comment",
      "HASHED=abc#def",
      'MULTI="first',
      "second",
      'third"',
      "EMPTY=",
      "AFTER=1",
    ].join("\n");
    const { entries, problems } = parseDotenv(text);
    expect(problems).toEqual([]);
    expect(entries).toEqual([
      { key: "EXPORTED", value: "yes", line: 4 },
      { key: "SINGLE", value: "raw $HOME \\n # kept", line: 5 },
      { key: "DOUBLE", value: "a\nb", line: 6 },
      { key: "BACKTICK", value: 'it\'s "both"', line: 7 },
      { key: "UNQUOTED", value: "some value", line: 8 },
      { key: "HASHED", value: "abc", line: 9 },
      { key: "MULTI", value: "first\nsecond\nthird", line: 10 },
      { key: "EMPTY", value: "", line: 13 },
      { key: "AFTER", value: "1", line: 14 },
    ]);
  });

  it("agrees with the dotenv package where dotenv has no escaping quirks", () => {
    const text =
      '# c\nexport A=1\nB=\'x y\'\nC="m\nn"\nD=v # c\nE=`q`\r\nF="a\\nb"\nG=http://h:1/p\nH=  spaced  \n';
    const ours = Object.fromEntries(parseDotenv(text).entries.map((e) => [e.key, e.value]));
    expect(ours).toEqual(parse(text));
  });

  it("handles CRLF and a byte order mark", () => {
    const { entries, problems } = parseDotenv('\uFEFFA=1\r\nB="x\r\ny"\r\nC=3\r\n');
    expect(problems).toEqual([]);
    expect(entries).toEqual([
      { key: "A", value: "1", line: 1 },
      { key: "B", value: "x\ny", line: 2 },
      { key: "C", value: "3", line: 4 },
    ]);
  });

  it("reports problems with their line numbers and never the value", () => {
    const text = [
      "GOOD=1", // 1
      "this is not an assignment", // 2
      "lower_case=secret-one", // 3
      "GOOD=secret-two", // 4
      "MixedCase='secret-three'", // 5
      "1ABC=x", // 6
      'OPEN="secret-four', // 7
      "LAST=ok", // 8
      'JUNK="a"secret-five', // 9
      "=novalue", // 10
      "OPEN_SINGLE='secret-six", // 11
    ].join("\n");
    const { entries, problems } = parseDotenv(text);
    expect(entries).toEqual([
      { key: "GOOD", value: "1", line: 1 },
      { key: "LAST", value: "ok", line: 8 },
    ]);
    expect(problems).toEqual([
      { line: 2, message: expect.stringMatching(/KEY=value/) },
      { line: 3, key: "lower_case", message: expect.stringMatching(/UPPER_SNAKE_CASE/) },
      { line: 4, key: "GOOD", message: "Duplicate key (first set on line 1)" },
      { line: 5, key: "MixedCase", message: expect.stringMatching(/UPPER_SNAKE_CASE/) },
      { line: 6, key: "1ABC", message: expect.stringMatching(/UPPER_SNAKE_CASE/) },
      { line: 7, key: "OPEN", message: "Unterminated double quote" },
      { line: 9, key: "JUNK", message: "Unexpected text after the closing quote" },
      { line: 10, message: expect.stringMatching(/KEY=value/) },
      { line: 11, key: "OPEN_SINGLE", message: "Unterminated single quote" },
    ]);
    for (const p of problems) expect(p.message).not.toMatch(/secret/);
  });

  it("keeps the first value of a duplicate key", () => {
    const { entries, problems } = parseDotenv("A=first\nB=2\nA=second\n");
    expect(entries.find((e) => e.key === "A")?.value).toBe("first");
    expect(problems).toEqual([{ line: 3, key: "A", message: "Duplicate key (first set on line 1)" }]);
  });

  it("accepts an empty file", () => {
    expect(parseDotenv("")).toEqual({ entries: [], problems: [], warnings: [] });
    expect(parseDotenv("\n\n# only comments\n")).toEqual({ entries: [], problems: [], warnings: [] });
  });
});

describe("a # in a value", () => {
  const lines = [
    "CUT=abc#def", // 1: unquoted, inside a word: a comment for dotenv, probably not what was meant
    "URL=https://app.example/#/home", // 2
    "EMPTY=#not-a-comment?", // 3
    "COMMENTED=value # a comment", // 4: the usual trailing comment, no warning
    "SPACED=  # nothing set yet", // 5
    'DOUBLE="abc#def"', // 6: quoted values keep their #
    "SINGLE='abc#def' # and a comment", // 7
    "BACKTICK=`abc#def`", // 8
    'MULTI="first#', // 9
    'second#"', // 10
  ];
  const text = lines.join("\n");

  it("reads every line exactly as the dotenv package does", () => {
    const ours = Object.fromEntries(parseDotenv(text).entries.map((e) => [e.key, e.value]));
    expect(ours).toEqual(parse(text));
    expect(ours).toMatchObject({
      CUT: "abc",
      DOUBLE: "abc#def",
      SINGLE: "abc#def",
      MULTI: "first#\nsecond#",
    });
  });

  it("warns, by line and key and never quoting the value, where an unquoted # cut a value short", () => {
    const { warnings, problems } = parseDotenv(text);
    expect(problems).toEqual([]);
    expect(warnings.map((w) => [w.line, w.key])).toEqual([
      [1, "CUT"],
      [2, "URL"],
      [3, "EMPTY"],
    ]);
    expect(warnings[0].message).toMatch(/"#".*comment.*quote/i);
    for (const w of warnings) expect(w.message).not.toMatch(/abc|def|example|not-a-comment/);
  });
});

describe("shell safety of serialized files", () => {
  const dir = mkdtempSync(join(tmpdir(), "ringbearer-dotenv-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const shellValues = [
    "$(touch pwned)",
    "`touch pwned`",
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a literal shell expansion is the point
    "${HOME} $HOME $$ $? $0 $1",
    'a"; touch pwned; echo "',
    "it's; touch pwned",
    "back\\slash \\$(touch pwned) \\\\",
    "  spaced #hash = équals 🔑 !! !$ ",
    "*",
    "~",
    "",
  ];

  it.each(shellValues.map((v, i) => [i, v] as const))("bash reads value %i literally", (i, value) => {
    const file = join(dir, `case-${i}.env`);
    writeFileSync(file, serializeDotenv([{ key: "KEY", value }]));
    const out = execFileSync("bash", ["-c", 'set -a; . "$1"; printf %s "$KEY"', "bash", file], {
      cwd: dir,
      encoding: "utf8",
    });
    expect(out).toBe(value);
    expect(existsSync(join(dir, "pwned"))).toBe(false);
  });

  it("sh reads the whole nasty file without running anything", () => {
    const file = join(dir, "all.env");
    writeFileSync(file, serializeDotenv(nastyEntries()));
    execFileSync("sh", ["-c", '. "$1"', "sh", file], { cwd: dir, encoding: "utf8" });
    expect(existsSync(join(dir, "pwned"))).toBe(false);
  });
});
