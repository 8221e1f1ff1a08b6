import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { parseDotenv } from "@/lib/dotenv";
import { formatValues, UnrepresentableError } from "@/lib/value-formats";

const dir = mkdtempSync(path.join(tmpdir(), "rb-formats-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const canary = path.join(dir, "ran");

/** Values that break naive quoting in one format or another. */
const TRICKY = [
  { key: "PLAIN", value: "sk_live_123" },
  { key: "EMPTY", value: "" },
  { key: "QUOTES", value: `it's "quoted"` },
  // biome-ignore lint/suspicious/noTemplateCurlyInString: the literal text a shell would expand
  { key: "DOLLAR", value: "$HOME ${PATH} $(touch CANARY) `touch CANARY`".replaceAll("CANARY", canary) },
  { key: "BACKSLASH", value: "C:\\path\\n\\t \\' \\\\" },
  { key: "YAML_WORDS", value: "no" },
  { key: "NUMBERISH", value: "0x1F" },
  { key: "SPACES", value: "  leading and trailing  " },
  { key: "HASH", value: "a # not a comment" },
  { key: "UNICODE", value: "café — 婚礼 💍" },
  { key: "EQUALS", value: "a=b=c" },
];
const MULTILINE = { key: "PEM", value: "-----BEGIN KEY-----\nabc\r\ndef\n-----END KEY-----" };
const asObject = (entries: { key: string; value: string }[]) =>
  Object.fromEntries(entries.map((e) => [e.key, e.value]));

describe("an environment's values in each machine format read back exactly", () => {
  const all = [...TRICKY, MULTILINE];

  it("json", () => {
    expect(JSON.parse(formatValues(all, "json"))).toEqual(asObject(all));
  });

  it("dotenv, through the console's own parser", () => {
    const { entries, problems } = parseDotenv(formatValues(all, "dotenv"));
    expect(problems).toEqual([]);
    expect(asObject(entries)).toEqual(asObject(all));
  });

  it("yaml, read as YAML 1.2 and as YAML 1.1 (where `no` would be false)", () => {
    const text = formatValues(all, "yaml");
    expect(parseYaml(text)).toEqual(asObject(all));
    expect(parseYaml(text, { version: "1.1" })).toEqual(asObject(all));
    expect(parseYaml(formatValues([], "yaml"))).toEqual({});
  });

  it("shell: sourced by sh, every value arrives as it is and nothing in it runs", () => {
    const file = path.join(dir, "values.sh");
    writeFileSync(file, formatValues(all, "shell"));
    for (const { key, value } of all) {
      const seen = execFileSync("sh", ["-c", `. "$1"; printf '%s' "$${key}"`, "sh", file], {
        encoding: "utf8",
      });
      expect(seen, key).toBe(value);
    }
    expect(existsSync(canary)).toBe(false);
  });

  it("docker --env-file: KEY=value taken literally; a line break is refused, naming the keys only", () => {
    const text = formatValues(TRICKY, "docker");
    const read = Object.fromEntries(
      text
        .split("\n")
        .filter(Boolean)
        .map((line) => [line.slice(0, line.indexOf("=")), line.slice(line.indexOf("=") + 1)]),
    );
    expect(read).toEqual(asObject(TRICKY));
    const refused = (() => {
      try {
        formatValues(all, "docker");
      } catch (error) {
        return error;
      }
    })();
    expect(refused).toBeInstanceOf(UnrepresentableError);
    expect((refused as UnrepresentableError).keys).toEqual(["PEM"]);
    expect((refused as Error).message).not.toContain("BEGIN");
  });

  it("refuses a key that is not a variable name, in every format (a shell line is built from it)", () => {
    for (const format of ["json", "dotenv", "yaml", "shell", "docker"] as const) {
      expect(() => formatValues([{ key: "X=$(id)", value: "v" }], format), format).toThrow(
        /UPPER_SNAKE_CASE/,
      );
      expect(() => formatValues([{ key: "lower", value: "v" }], format), format).toThrow(/UPPER_SNAKE_CASE/);
    }
  });
});
